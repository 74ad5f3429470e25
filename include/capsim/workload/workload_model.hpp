#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capsim/engine/engine.hpp"
#include "capsim/infra/infrastructure_model.hpp"
#include "capsim/infra/infrastructure_spec.hpp"
#include "capsim/util/random_stream.hpp"
#include "capsim/workload/demand_spec.hpp"
#include "capsim/workload/job_observer.hpp"
#include "capsim/workload/workload_result.hpp"

namespace capsim::workload {

/// The tenants' AI jobs (the demand) on the GPUs of the infrastructure: arrivals, queueing, placement
/// on nodes, preemption of low-priority work for urgent civil jobs, fair share between tenants, and
/// the GPU load that drives the infrastructure's power. A model of the engine it shares with the
/// infrastructure (engine::Model).
///
/// Rules (docs/model.md): a scheduling pass follows every event; the queue is ordered by the
/// scheduler's `order` with urgent jobs and inference reservations always ahead; the policy (fcfs,
/// easy, conservative) decides through a ClusterMachine. A preempted job, one on nodes the grid can
/// no longer power, or one on a node that fails (the `failures` of the demand) returns to the queue
/// with its original submit time; it keeps the work its last checkpoint saved (none without
/// checkpoints) and loses the rest.
class WorkloadModel final : public infra::GpuLoad, public engine::Model {
public:
    /// Draws from the random streams of one replication: workload w from stream (seed, point,
    /// replication, w's stream index) of `replication`, whose own stream index is not used.
    WorkloadModel(const infra::InfrastructureSpec& infrastructure, const DemandSpec& demand, WorkloadResult& result,
                  std::vector<std::string> gpu_types, StreamId replication);
    ~WorkloadModel() override;

    /// This load drives `infra`'s power: it is the infrastructure's GPU load, and tells it after each
    /// pass that the load changed.
    void drive_power_of(infra::InfrastructureSimulation& infra);

    void start(engine::Engine& engine) override;
    void handle(const engine::Event& event, engine::Engine& engine) override;
    /// Integrates the per-tenant metrics up to `t_s`.
    void integrate_until(double t_s) override;
    void close_step(double t_s) override;
    /// A scheduling pass at the engine's current time, then the rows that became final handed on.
    void after_event(engine::Engine& engine) override;
    /// Hands every remaining row of the job table on, at the end of the horizon.
    void finish();
    /// With a sink, job rows go to it as they become final and leave memory.
    void set_sink(JobSink* sink);
    /// With an observer, every row goes to it too, once, in the order of the job table.
    void set_observer(JobObserver* observer);
    std::uint64_t jobs_simulated() const;
    /// Checks internal consistency (no GPU counted twice, queues and running jobs agree); for tests.
    void check_invariants() const;

    void powered_nodes_changed(std::size_t order, std::int64_t powered_nodes) override;
    double busy_power_above_idle_w(std::size_t order) const override;
    std::int64_t failed_powered_nodes(std::size_t order) const override;

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace capsim::workload
