#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "capsim/util/random_stream.hpp"
#include "capsim/workload/failure_spec.hpp"

namespace capsim::workload {

/// A node as the failure processes see it: where it is, what it is, and when it is in service.
struct FailureNode {
    std::size_t site = 0;
    std::string node_type;
    double in_service_s = 0; // epoch s; it cannot fail before
    double retired_s = 0;    // nor after
};

/// When nodes fail and how long they stay out (docs/model.md, "Failures and checkpoints").
///
/// A random process is, on each node it applies to, a renewal process: the node is up for a time
/// drawn from the process's distribution (exponential or Weibull with mean 1 / rate, 1 / (rate x
/// factor) on a bad node), then out for a repair time drawn from `repair`, then up again. Each
/// (process, node) draws from its own random stream, so a node's failures do not depend on other
/// nodes', on the workloads' draws, or on the order events happen in. A trace process replays its
/// rows. Nodes (by index) are those of the cluster, in its order: build-out order, node by node.
class NodeFailures {
public:
    NodeFailures(const std::vector<FailureSpec>& specs, std::vector<FailureNode> nodes, StreamId replication);

    std::size_t process_count() const { return specs_.size(); }
    bool from_trace(std::size_t process) const { return specs_[process].from_trace(); }
    /// Does the random process apply to the node (its node types and sites)?
    bool applies(std::size_t process, std::uint32_t node) const;
    /// The nodes a random process applies to.
    const std::vector<std::uint32_t>& nodes_of(std::size_t process) const { return nodes_of_[process]; }

    /// The node's next failure under the process when it is up from `up_from_s` (from when it enters
    /// service, if later); +infinity if that falls after its retirement.
    double next_failure_s(std::size_t process, std::uint32_t node, double up_from_s);
    /// How long the failure that just happened keeps the node out, s.
    double repair_s(std::size_t process, std::uint32_t node);

    /// One row of a trace process: at time_s, `node` goes out for duration_s.
    struct Outage {
        double time_s = 0;
        std::uint32_t node = 0;
        double duration_s = 0;
    };
    /// A trace process's rows, resolved to nodes, in time order.
    const std::vector<Outage>& outages(std::size_t process) const { return outages_[process]; }

    /// The mean failure rate of a node of `node_type` at `site` over the random processes (a bad node
    /// counted at its share): what a job's mean time to failure is computed from, 1 / (nodes x rate).
    double mean_rate_per_s(std::size_t site, const std::string& node_type) const;
    /// Whether the node is one of the process's bad nodes.
    bool is_bad(std::size_t process, std::uint32_t node) const;

private:
    struct Clock {
        RandomStream stream;
        double rate_per_s = 0; // of this node under this process
        bool bad = false;
    };
    static constexpr std::size_t no_clock = SIZE_MAX;
    std::size_t clock_index(std::size_t process, std::uint32_t node) const;
    Clock& clock(std::size_t process, std::uint32_t node);
    const Clock* find_clock(std::size_t process, std::uint32_t node) const;

    std::vector<FailureSpec> specs_;
    std::vector<FailureNode> nodes_;
    std::vector<std::vector<std::uint32_t>> nodes_of_;      // per process, ascending
    std::vector<std::vector<Clock>> clocks_;                // per process, parallel to nodes_of_
    std::vector<std::vector<Outage>> outages_;              // per trace process
    std::vector<double> weibull_scale_per_mean_;            // 1 / Gamma(1 + 1/k) per process
};

} // namespace capsim::workload
