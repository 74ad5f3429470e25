#include "capsim/cluster/pool_plan.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "capsim/cluster/cluster_machine.hpp"
#include "capsim/util/error.hpp"

namespace capsim::cluster {

void NodeFreeTimes::begin_pass(std::size_t node_count) {
    if (free_s_.size() < node_count) {
        free_s_.resize(node_count, 0.0);
        stamp_.resize(node_count, 0);
    }
    if (++pass_ == 0) { // wrapped: old stamps could read as this pass's
        std::fill(stamp_.begin(), stamp_.end(), 0);
        pass_ = 1;
    }
}

void NodeFreeTimes::set(std::uint32_t node, double time_s) {
    stamp_[node] = pass_;
    free_s_[node] = time_s;
}

void PoolPlan::begin_pass(double now_s, int gpus_per_node, std::int64_t free_gpus, std::int64_t powered_nodes,
                          std::span<const sched::RunningJob> running, const JobDemands& demands,
                          NodeFreeTimes& times) {
    now_s_ = now_s;
    gpus_per_node_ = gpus_per_node;
    free_at_pass_start_ = free_gpus;
    free_now_ = free_gpus;
    powered_nodes_ = powered_nodes;
    running_ = running;
    total_gpus_ = free_gpus;
    for (const sched::RunningJob& job : running) total_gpus_ += job.units;
    demands_ = &demands;
    times_ = &times;
    started_.clear();
    started_nodes_.clear();
    reservations_ = 0;
    node_reservation_ = false;
    profile_built_ = false;
}

std::int64_t PoolPlan::footprint(int gpus) const {
    if (gpus <= gpus_per_node_) return gpus;
    return static_cast<std::int64_t>((gpus + gpus_per_node_ - 1) / gpus_per_node_) * gpus_per_node_;
}

sched::StartBound PoolPlan::start_bound() const {
    // A job that runs past the shadow time holds its GPUs there, so it needs no more than the extra
    // GPUs whether or not the reservation also counts nodes: the bound stays necessary.
    if (reservations_ == 1) return sched::StartBound::with_reservation(free_now_, extra_gpus_, shadow_s_, now_s_);
    return {free_now_, free_now_, sched::StartBound::unlimited};
}

bool PoolPlan::can_start(int gpus, double estimate_s, std::uint32_t node) {
    const std::int64_t units = footprint(gpus);
    if (units > free_now_) return false;
    if (reservations_ == 0) return true;
    const double end_s = now_s_ + estimate_s;
    // One reservation of GPUs only: free GPUs only grow after now and after the shadow time, so the
    // shadow time decides (as in sched::UnitPoolMachine).
    if (reservations_ == 1 && !node_reservation_) return end_s <= shadow_s_ || units <= extra_gpus_;
    const std::int64_t nodes = nodes_needed(gpus);
    if (!free_over(now_s_, end_s, units, nodes)) return false;
    if (nodes > 0) return true; // its nodes are wholly free now: counted above
    const double node_free_s = std::max(now_s_, times_->get(node, now_s_));
    return end_s <= node_free_s || free_over(node_free_s, end_s, 0, 1);
}

void PoolPlan::start(int gpus, double estimate_s, std::span<const std::pair<std::uint32_t, int>> nodes) {
    const std::int64_t units = footprint(gpus);
    free_now_ -= units;
    if (!profile_built_) { // the profile needs them if it is built later
        started_.push_back({units, estimate_s, started_nodes_.size(), nodes.size()});
        started_nodes_.insert(started_nodes_.end(), nodes.begin(), nodes.end());
        return;
    }
    take_started(units, estimate_s, nodes);
    if (reservations_ >= 1 && now_s_ + estimate_s > shadow_s_) extra_gpus_ -= units;
}

void PoolPlan::take_started(std::int64_t units, double estimate_s,
                            std::span<const std::pair<std::uint32_t, int>> nodes) {
    const double end_s = now_s_ + estimate_s;
    take(now_s_, end_s, units, 0);
    for (const auto& [node, node_gpus] : nodes) {
        const double free_s = std::max(now_s_, times_->get(node, now_s_));
        if (end_s <= free_s) continue;
        take(free_s, end_s, 0, 1);
        times_->set(node, end_s);
    }
}

void PoolPlan::build_profile() {
    if (profile_built_) return;
    profile_built_ = true;
    // A busy node becomes wholly free at the latest estimated end of its jobs. Walking the running
    // jobs from the latest end, a node's first appearance is that end, so the busy nodes come out in
    // descending order of it: reversed, they are sorted without a sort. A multi-node job holds its
    // nodes alone, so they are wholly free at its end and need not be looked up one by one.
    busy_nodes_.clear();
    std::int64_t busy_count = 0;
    for (auto job = running_.rbegin(); job != running_.rend(); ++job) {
        if (job->units > gpus_per_node_) {
            busy_nodes_.emplace_back(job->estimated_end_s, job->units / gpus_per_node_);
            busy_count += job->units / gpus_per_node_;
            continue;
        }
        const std::uint32_t node = demands_->allocation(job->job).nodes.front().first;
        if (times_->is_set(node)) continue;
        times_->set(node, job->estimated_end_s);
        busy_nodes_.emplace_back(job->estimated_end_s, 1);
        ++busy_count;
    }
    std::reverse(busy_nodes_.begin(), busy_nodes_.end());

    // Merge the GPUs coming back at the running jobs' ends with the nodes becoming wholly free.
    steps_.clear();
    std::int64_t gpus = free_at_pass_start_;
    std::int64_t nodes = powered_nodes_ - busy_count;
    std::size_t j = 0, n = 0;
    while (j < running_.size() && running_[j].estimated_end_s <= now_s_) gpus += running_[j++].units;
    while (n < busy_nodes_.size() && busy_nodes_[n].first <= now_s_) nodes += busy_nodes_[n++].second;
    steps_.push_back({now_s_, gpus, nodes});
    constexpr double never = std::numeric_limits<double>::infinity();
    while (j < running_.size() || n < busy_nodes_.size()) {
        const double t = std::min(j < running_.size() ? running_[j].estimated_end_s : never,
                                  n < busy_nodes_.size() ? busy_nodes_[n].first : never);
        while (j < running_.size() && running_[j].estimated_end_s == t) gpus += running_[j++].units;
        while (n < busy_nodes_.size() && busy_nodes_[n].first == t) nodes += busy_nodes_[n++].second;
        steps_.push_back({t, gpus, nodes});
    }
    for (const Claim& claim : started_) {
        take_started(claim.gpus, claim.estimate_s,
                     std::span(started_nodes_).subspan(claim.first_node, claim.node_count));
    }
}

double PoolPlan::earliest(int gpus, double estimate_s) {
    const std::int64_t units = footprint(gpus);
    if (units > total_gpus_) return std::numeric_limits<double>::infinity();
    const std::int64_t nodes = nodes_needed(gpus);
    build_profile();
    const auto fits = [&](const Step& step) { return step.free_gpus >= units && step.free_nodes >= nodes; };
    const std::size_t count = steps_.size();
    std::size_t i = 0;
    while (i < count) {
        if (!fits(steps_[i])) {
            ++i;
            continue;
        }
        const double end_s = steps_[i].time_s + estimate_s;
        std::size_t k = i + 1;
        while (k < count && steps_[k].time_s < end_s && fits(steps_[k])) ++k;
        if (k == count || steps_[k].time_s >= end_s) return steps_[i].time_s;
        i = k + 1; // steps_[k] is too small: no window that contains it works
    }
    throw InternalError("pool plan: no start for a job of " + std::to_string(gpus) + " GPUs in a pool of " +
                        std::to_string(total_gpus_));
}

void PoolPlan::reserve_at(int gpus, double estimate_s, double start_s) {
    build_profile();
    const std::int64_t units = footprint(gpus);
    const std::int64_t nodes = nodes_needed(gpus);
    take(start_s, start_s + estimate_s, units, nodes);
    if (nodes > 0) node_reservation_ = true;
    if (++reservations_ == 1) {
        shadow_s_ = start_s;
        extra_gpus_ = free_gpus_at(start_s);
    }
}

std::size_t PoolPlan::split_at(double time_s) {
    auto it = std::lower_bound(steps_.begin(), steps_.end(), time_s,
                               [](const Step& step, double t) { return step.time_s < t; });
    if (it != steps_.end() && it->time_s == time_s) return static_cast<std::size_t>(it - steps_.begin());
    if (it == steps_.begin()) throw InternalError("pool plan: a claim before now");
    const Step covering = *std::prev(it);
    it = steps_.insert(it, Step{time_s, covering.free_gpus, covering.free_nodes});
    return static_cast<std::size_t>(it - steps_.begin());
}

void PoolPlan::take(double from_s, double to_s, std::int64_t gpus, std::int64_t nodes) {
    const std::size_t first = split_at(from_s);
    const std::size_t last = split_at(to_s);
    for (std::size_t i = first; i < last; ++i) {
        steps_[i].free_gpus -= gpus;
        steps_[i].free_nodes -= nodes;
        if (steps_[i].free_gpus < 0 || steps_[i].free_nodes < 0) {
            throw InternalError("pool plan: a claim overbooks the pool at t = " + std::to_string(steps_[i].time_s));
        }
    }
}

bool PoolPlan::free_over(double from_s, double to_s, std::int64_t gpus, std::int64_t nodes) const {
    auto it = std::upper_bound(steps_.begin(), steps_.end(), from_s,
                               [](double t, const Step& step) { return t < step.time_s; });
    if (it != steps_.begin()) --it;
    for (; it != steps_.end() && it->time_s < to_s; ++it) {
        if (it->free_gpus < gpus || it->free_nodes < nodes) return false;
    }
    return true;
}

std::int64_t PoolPlan::free_gpus_at(double time_s) const {
    auto it = std::upper_bound(steps_.begin(), steps_.end(), time_s,
                               [](double t, const Step& step) { return t < step.time_s; });
    if (it == steps_.begin()) return steps_.front().free_gpus;
    return std::prev(it)->free_gpus;
}

} // namespace capsim::cluster
