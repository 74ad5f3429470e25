#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capsim/replay/replay_job.hpp"
#include "capsim/sched/queue_order.hpp"
#include "capsim/sched/scheduling_policy.hpp"
#include "capsim/workload/swf_trace.hpp"

namespace capsim::replay {

struct ReplayOptions {
    std::optional<std::int64_t> processors; // machine size; default: the trace's MaxProcs or MaxNodes
    std::string policy = "easy";
    sched::QueueOrder order = sched::QueueOrder::fifo;
};

/// A simulated job and when it ran.
struct JobOutcome {
    ReplayJob job;
    double start_s = 0;
    double end_s = 0;
    double wait_s() const { return start_s - job.submit_s; }
};

/// Jobs that were not simulated, by reason.
struct ExclusionCounts {
    std::size_t skipped_run_time = 0;
    std::size_t skipped_processors = 0;
    std::size_t rejected_too_large = 0;
    std::size_t skipped() const { return skipped_run_time + skipped_processors; }
    std::size_t rejected() const { return rejected_too_large; }
};

struct ReplayResult {
    std::string source;
    std::int64_t processors = 0;
    std::string policy;
    sched::QueueOrder order = sched::QueueOrder::fifo;
    std::size_t records = 0;         // job lines in the trace
    ExclusionCounts excluded;        // records - excluded = jobs.size()
    std::vector<JobOutcome> jobs;    // simulated jobs, in trace order
    std::uint64_t events = 0;        // events the engine handled
    std::uint64_t passes = 0;        // scheduling passes that consulted the policy
    double simulate_wall_s = 0;      // wall time of the simulation alone
};

/// Replays a trace on a pool of identical processors under a batch scheduling policy.
///
/// At one instant, submissions (in trace order) are handled before job ends, and a scheduling pass
/// follows every event (the convention of pyss). The scheduler knows a running job by its estimated
/// end: it counts the job's processors busy until its end has been handled or its estimated end has
/// come, whichever is first (run time never exceeds the estimate, so a job at its estimated end has
/// ended). Each call owns its engine and state; concurrent calls do not interact.
ReplayResult replay_trace(const workload::SwfTrace& trace, const ReplayOptions& options);

/// The same with a policy object of the caller's instead of `options.policy` (tests use this to watch
/// the policy's decisions).
ReplayResult replay_trace(const workload::SwfTrace& trace, const ReplayOptions& options,
                          sched::SchedulingPolicy& policy);

} // namespace capsim::replay
