#include "capsim/run/scenario_run.hpp"

#include <chrono>
#include <memory>
#include <optional>

#include "capsim/engine/engine.hpp"
#include "capsim/infra/infrastructure_model.hpp"
#include "capsim/metrics/workload_summary.hpp"
#include "capsim/util/random_stream.hpp"
#include "capsim/workload/workload_model.hpp"

namespace capsim::run {
namespace {

/// Hands each closed output step to the series sink (after every model has closed it).
class SeriesOutput final : public engine::Model {
public:
    SeriesOutput(SeriesSink& sink, ScenarioResult& result) : sink_(sink), result_(result) {}
    void handle(const engine::Event&, engine::Engine&) override {}
    void close_step(double) override { sink_.step_closed(result_); }

private:
    SeriesSink& sink_;
    ScenarioResult& result_;
};

/// Checks the workload model's invariants after every event (tests).
class InvariantCheck final : public engine::Model {
public:
    explicit InvariantCheck(const workload::WorkloadModel& workload) : workload_(workload) {}
    void handle(const engine::Event&, engine::Engine&) override {}
    void after_event(engine::Engine&) override { workload_.check_invariants(); }

private:
    const workload::WorkloadModel& workload_;
};

} // namespace

ScenarioResult simulate_scenario(const scenario::Scenario& scenario, RunIndex index, bool check_invariants,
                                 RunSinks sinks) {
    const auto wall_start = std::chrono::steady_clock::now();
    ScenarioResult result;
    infra::InfrastructureSimulation infra(scenario, result.infra);
    std::unique_ptr<workload::WorkloadModel> workload;
    metrics::WorkloadSummaryBuilder summary(scenario.tenants.size(), scenario.start_s, scenario.end_s);
    if (scenario.has_workloads()) {
        const StreamId replication{scenario.seed, index.point, index.replication, 0};
        // The scenario is both the infrastructure and the demand on it.
        workload = std::make_unique<workload::WorkloadModel>(scenario, scenario, result.workload,
                                                              result.infra.gpu_types, replication);
        workload->drive_power_of(infra);
        workload->set_sink(sinks.jobs);
        workload->set_observer(&summary);
    }
    // The models in the order the engine calls them: the infrastructure integrates and closes its
    // steps first, the workload's pass then sets the load that the infrastructure's power follows.
    engine::Engine engine;
    engine.add(infra);
    if (workload) engine.add(*workload);
    std::optional<SeriesOutput> series;
    if (sinks.series) engine.add(series.emplace(*sinks.series, result));
    std::optional<InvariantCheck> check;
    if (workload && check_invariants) engine.add(check.emplace(*workload));
    engine.start();
    engine.run(scenario.end_s); // jobs still running then stay running
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
