#pragma once
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "capsim/sched/running_list.hpp"
#include "capsim/sched/start_bound.hpp"

namespace capsim::cluster {

class JobDemands;

/// When each node of the cluster becomes wholly free (all its jobs ended, by their estimates) during
/// one scheduling pass. Shared by the pools' plans (node indices are the cluster's); a node not set
/// in this pass is wholly free from now.
class NodeFreeTimes {
public:
    void begin_pass(std::size_t node_count);
    double get(std::uint32_t node, double now_s) const { return stamp_[node] == pass_ ? free_s_[node] : now_s; }
    void set(std::uint32_t node, double time_s);
    bool is_set(std::uint32_t node) const { return stamp_[node] == pass_; }

private:
    std::vector<double> free_s_;
    std::vector<std::uint32_t> stamp_;
    std::uint32_t pass_ = 0;
};

/// One GPU pool (one node type at one site) as a scheduling pass plans it: free GPUs and wholly free
/// nodes as step functions of time from now, from the running jobs' estimated ends, less the pass's
/// starts and reservations.
///
/// Counting nodes as well as GPUs is what keeps a reserved multi-node job on time: it needs k whole
/// nodes, and 8 free GPUs spread as 4 + 4 over two nodes are not one. A job of k nodes is planned
/// where k nodes are wholly free; a job within one node needs its GPUs in the count only (where on
/// the nodes they are is left to placement, which is exact when the job starts). Starting a job now
/// keeps its node from being wholly free until the job's estimated end, so a start that breaks a node
/// a reserved multi-node job counts on is refused.
///
/// As in sched::UnitPoolMachine, passes with no reservation or one reservation of GPUs only answer
/// from the free GPUs now and at the shadow time; the profile is built only when a pass first asks
/// about the future.
class PoolPlan {
public:
    /// Starts a pass at `now_s`. `running` lists the pool's running jobs (ascending estimated end)
    /// with their footprints; `demands` gives their allocations, `times` is where node times are kept.
    void begin_pass(double now_s, int gpus_per_node, std::int64_t free_gpus, std::int64_t powered_nodes,
                    std::span<const sched::RunningJob> running, const JobDemands& demands, NodeFreeTimes& times);

    std::int64_t free_gpus() const { return free_now_; }
    /// Free GPUs now and what the pass's first reservation leaves (see sched::StartBound), in GPUs.
    sched::StartBound start_bound() const;

    /// Does can_start look at the node placement would give a job of `gpus` GPUs? Only a job within
    /// one node, and only once the pass has a reservation of whole nodes or more than one.
    bool needs_node(int gpus) const { return gpus <= gpus_per_node_ && (reservations_ > 1 || node_reservation_); }
    /// Could a job of `gpus` GPUs start now and run for `estimate_s` without delaying a reservation of
    /// this pass? `node` is the node that placement would give a job within one node (read only when
    /// needs_node). Precondition: the pool's nodes can place the job now.
    bool can_start(int gpus, double estimate_s, std::uint32_t node);
    /// Records a start now on `nodes` (the job's allocation: node, GPUs).
    void start(int gpus, double estimate_s, std::span<const std::pair<std::uint32_t, int>> nodes);
    /// The earliest start of a job of `gpus` GPUs for `estimate_s`; +infinity if the powered nodes
    /// can never hold it.
    double earliest(int gpus, double estimate_s);
    /// Reserves the job at `start_s` (from earliest()).
    void reserve_at(int gpus, double estimate_s, double start_s);

private:
    struct Step {
        double time_s;
        std::int64_t free_gpus;
        std::int64_t free_nodes; // wholly free nodes not claimed by a multi-node job
    };
    struct Claim {
        std::int64_t gpus;
        double estimate_s;
        std::size_t first_node, node_count; // in started_nodes_
    };

    std::int64_t footprint(int gpus) const;
    std::int64_t nodes_needed(int gpus) const { return gpus > gpus_per_node_ ? footprint(gpus) / gpus_per_node_ : 0; }
    void build_profile();
    /// Takes the job started now from the profile: its GPUs until its end, and each of its nodes from
    /// when it would have been wholly free until then.
    void take_started(std::int64_t gpus, double estimate_s, std::span<const std::pair<std::uint32_t, int>> nodes);
    std::size_t split_at(double time_s);
    void take(double from_s, double to_s, std::int64_t gpus, std::int64_t nodes);
    /// Are `gpus` and `nodes` free at every step of [from_s, to_s)?
    bool free_over(double from_s, double to_s, std::int64_t gpus, std::int64_t nodes) const;
    std::int64_t free_gpus_at(double time_s) const;

    double now_s_ = 0;
    int gpus_per_node_ = 1;
    std::int64_t free_at_pass_start_ = 0;
    std::int64_t free_now_ = 0;
    std::int64_t powered_nodes_ = 0;
    std::int64_t total_gpus_ = 0;
    std::span<const sched::RunningJob> running_;
    const JobDemands* demands_ = nullptr;
    NodeFreeTimes* times_ = nullptr;

    std::vector<Claim> started_; // starts made before the profile was built
    std::vector<std::pair<std::uint32_t, int>> started_nodes_;
    int reservations_ = 0;
    bool node_reservation_ = false; // a reservation of whole nodes was made in this pass
    double shadow_s_ = 0;           // the first reservation's start
    std::int64_t extra_gpus_ = 0;   // free at the shadow time after the first reservation and later starts
    std::vector<Step> steps_;
    std::vector<std::pair<double, std::int64_t>> busy_nodes_; // scratch: when busy nodes become wholly free, how many
    bool profile_built_ = false;
};

} // namespace capsim::cluster
