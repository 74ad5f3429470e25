#include "capsim/run/scenario_run.hpp"

#include <chrono>
#include <memory>

#include "capsim/engine/engine.hpp"
#include "capsim/infra/infrastructure_model.hpp"
#include "capsim/metrics/workload_summary.hpp"
#include "capsim/util/random_stream.hpp"
#include "capsim/workload/workload_model.hpp"

namespace capsim::run {
namespace {

/// Routes each event to the model that scheduled it, after bringing both models' integrals up to
/// the event's time, and runs a scheduling pass after every event.
class ScenarioHandler final : public engine::EventHandler {
public:
    ScenarioHandler(infra::InfrastructureSimulation& infra, workload::WorkloadModel* workload, bool check,
                    ScenarioResult& result, SeriesSink* series)
        : infra_(infra), workload_(workload), check_(check), result_(result), series_(series) {}

    void handle(const engine::Event& event, engine::Engine& engine) override {
        infra_.integrate_until(event.time_s);
        if (!workload_) {
            infra_.handle(event, engine);
            if (series_ && infra::InfrastructureSimulation::is_step_boundary(event)) series_->step_closed(result_);
            return;
        }
        workload_->integrate_until(event.time_s);
        if (workload::WorkloadModel::owns(event)) {
            workload_->handle(event, engine);
        } else {
            infra_.handle(event, engine);
            if (infra::InfrastructureSimulation::is_step_boundary(event)) {
                workload_->close_step(event.time_s);
                if (series_) series_->step_closed(result_);
            }
        }
        workload_->schedule_pass(engine);
        infra_.gpu_load_changed();
        workload_->after_event();
        if (check_) workload_->check_invariants();
    }

private:
    infra::InfrastructureSimulation& infra_;
    workload::WorkloadModel* workload_;
    bool check_;
    ScenarioResult& result_;
    SeriesSink* series_;
};

} // namespace

ScenarioResult simulate_scenario(const scenario::Scenario& scenario, RunIndex index, bool check_invariants,
                                 RunSinks sinks) {
    const auto wall_start = std::chrono::steady_clock::now();
    ScenarioResult result;
    infra::InfrastructureSimulation infra(scenario, result.infra);
    std::unique_ptr<workload::WorkloadModel> workload;
    metrics::WorkloadSummaryBuilder summary(scenario.tenants.size());
    if (scenario.has_workloads()) {
        const StreamId replication{scenario.seed, index.point, index.replication, 0};
        // The scenario is both the infrastructure and the demand on it.
        workload = std::make_unique<workload::WorkloadModel>(scenario, scenario, result.workload,
                                                              result.infra.gpu_types, replication);
        infra.set_gpu_load(workload.get());
        workload->set_sink(sinks.jobs);
        workload->set_observer(&summary);
    }
    engine::Engine engine;
    infra.start(engine);
    if (workload) workload->start(engine);
    ScenarioHandler handler(infra, workload.get(), check_invariants, result, sinks.series);
    engine.run(handler, scenario.end_s); // jobs still running then stay running
    if (workload) {
        workload->finish();
        result.workload_summary = summary.finish(result.workload);
    }
    result.events = engine.events_handled();
    result.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    result.infra.events = result.events;
    result.infra.wall_time_s = result.wall_time_s;
    return result;
}

} // namespace capsim::run
