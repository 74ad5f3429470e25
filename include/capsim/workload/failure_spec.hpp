#pragma once
/// Node failures and repairs (the `failures:` section) and a workload's checkpoints (its `checkpoint:`
/// key). docs/scenario.md describes the keys, docs/model.md the model.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "capsim/workload/distribution.hpp"

namespace capsim::workload {

/// One failure process: every node it applies to fails now and then, is out of service while it is
/// repaired, and comes back. Either random (rate, distribution, repair) or replayed from a trace.
struct FailureSpec {
    std::vector<std::string> node_types; // node types it applies to (empty: all)
    std::vector<std::size_t> sites;      // sites it applies to (empty: all)

    /// Failures per node per second of a typical node while it is in service and up: 0.0065/day is
    /// 6.5 per 1,000 node-days. The time between a node's failures has mean 1 / rate.
    double rate_per_s = 0;
    /// Shape k of the Weibull time between a node's failures (scale chosen for the mean above);
    /// 1 is the exponential (memoryless) default, k < 1 fails more often soon after a repair.
    double weibull_shape = 1;
    /// How long a failed node is out of service (s).
    Distribution repair_s = Distribution::fixed(0);
    /// A fraction of the nodes, drawn per replication, fails `bad_factor` times as often.
    double bad_fraction = 0;
    double bad_factor = 1;
    std::uint64_t stream = 0; // random stream index of this process (its own, not a workload's)

    /// Failures replayed from a trace instead (the CSV's rows, in time order).
    struct TraceFailure {
        double time_s = 0;      // epoch s
        std::size_t site = 0;
        std::string node_type;
        std::int64_t node = 0;  // index among the site's nodes of that type, in build-out order, from 0
        double duration_s = 0;  // out of service for this long
    };
    std::vector<TraceFailure> trace;
    bool from_trace() const { return !trace.empty(); }
};

/// How a workload's jobs save their progress. A job stopped by a failure, a preemption or its node
/// going dark resumes from its last checkpoint and pays `restart_s` first; without a CheckpointSpec it
/// starts again from nothing and pays no restart.
struct CheckpointSpec {
    /// Compute time between checkpoints; ignored when `automatic`.
    double interval_s = 0;
    /// The interval that minimises expected waste for the job's own mean time to failure on the pool it
    /// starts on (Young/Daly), recomputed at every start; no checkpoints where nothing fails.
    bool automatic = false;
    double cost_s = 0;    // wall time of one checkpoint, at the job's load
    double restart_s = 0; // wall time of a restart from a checkpoint, at the job's load
};

} // namespace capsim::workload
