#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "capsim/engine/engine.hpp"
#include "capsim/util/random_stream.hpp"
#include "capsim/workload/arrival_process.hpp"
#include "capsim/workload/demand_spec.hpp"

namespace capsim::workload {

/// A job as its source hands it to the workload model.
struct SourcedJob {
    int gpus = 1;
    double amount = 0;          // the workload's work kind; a trace job's run time
    double estimate_factor = 1; // requested time over true run time, >= 1
    double fixed_end_s = -1;    // a reservation ends at this instant; -1 for other jobs
};

/// Where each workload's jobs come from: generated arrivals (its arrival process, with sizes, work
/// and estimate factors drawn from its distributions, all on the workload's own random stream), a
/// trace (its jobs at their submit times), or a reservation (one job over its interval). Each source
/// keeps one arrival event of its workload in the engine at a time.
class JobSources {
public:
    /// Workload w draws from stream (replication's seed, point and replication, w's stream index).
    JobSources(const DemandSpec& demand, double start_s, double end_s, StreamId replication);

    /// Schedules each workload's first arrival: events of `owner` with `kind`, `priority` and the
    /// workload's index as subject.
    void start(engine::Engine& engine, const engine::Model& owner, std::uint32_t kind, std::int32_t priority);
    /// The job of workload w's arrival now.
    SourcedJob take(std::size_t w);
    /// Schedules workload w's next arrival after its arrival at `now_s`, if there is one.
    void schedule_next(engine::Engine& engine, std::size_t w, double now_s);

private:
    void schedule_next_arrival(engine::Engine& engine, std::size_t w, double after_s);
    void schedule_next_trace(engine::Engine& engine, std::size_t w);

    const DemandSpec& demand_;
    double start_s_, end_s_;
    const engine::Model* owner_ = nullptr;
    std::uint32_t kind_ = 0;
    std::int32_t priority_ = 0;
    std::vector<RandomStream> streams_;
    std::vector<ArrivalProcess> arrivals_;
    std::vector<std::size_t> trace_next_;
};

} // namespace capsim::workload
