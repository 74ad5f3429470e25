#include "capsim/cluster/cluster_machine.hpp"

#include <algorithm>
#include <limits>

#include "capsim/util/error.hpp"

namespace capsim::cluster {

ClusterMachine::ClusterMachine(GpuCluster& cluster, const JobDemands& demands)
    : cluster_(cluster), demands_(demands) {}

void ClusterMachine::begin_pass(double now_s, const std::vector<sched::RunningList>& running) {
    now_s_ = now_s;
    starts_.clear();
    checked_job_ = UINT32_MAX;
    pools_.resize(cluster_.pool_count());
    node_free_times_.begin_pass(cluster_.node_count());
    double fastest = 0, slowest = std::numeric_limits<double>::infinity();
    for (std::uint32_t p = 0; p < cluster_.pool_count(); ++p) {
        pools_[p].begin_pass(now_s, cluster_.pool(p).gpus_per_node, cluster_.free_gpus(p), cluster_.powered_nodes(p),
                             running[p].jobs(), demands_, node_free_times_);
        fastest = std::max(fastest, cluster_.pool(p).peak_flops_per_gpu);
        slowest = std::min(slowest, cluster_.pool(p).peak_flops_per_gpu);
    }
    speed_ratio_ = slowest > 0 && fastest > 0 ? fastest / slowest : 1.0;
}

sched::StartBound ClusterMachine::start_bound() const {
    sched::StartBound bound{0, 0, -std::numeric_limits<double>::infinity()};
    for (std::uint32_t p = 0; p < cluster_.pool_count(); ++p) {
        const sched::StartBound in_pool = pools_[p].start_bound();
        // A job of g GPUs needs g <= what the nodes can place, and its footprint (>= g) within the
        // pool's units: both bound g.
        const std::int64_t units_now = std::min<std::int64_t>(cluster_.largest_placeable(p), in_pool.units_now);
        const std::int64_t any_length = std::min(units_now, in_pool.any_length_units);
        bound.units_now = std::max(bound.units_now, units_now);
        bound.any_length_units = std::max(bound.any_length_units, any_length);
        if (any_length < units_now) {
            const double window_s = in_pool.estimate_limit_s * speed_ratio_;
            bound.estimate_limit_s = std::max(bound.estimate_limit_s, window_s + 1e-9 * (window_s + 1.0));
        }
    }
    return bound;
}

bool ClusterMachine::is_full() const {
    for (std::uint32_t p = 0; p < cluster_.pool_count(); ++p) {
        if (cluster_.free_gpus(p) > 0) return false;
    }
    return true;
}

int ClusterMachine::pool_to_start(std::uint32_t job) {
    const int gpus = demands_.gpus(job);
    for (const std::uint32_t p : demands_.pools(job)) {
        if (!cluster_.fits_now(p, gpus)) continue;
        const std::int64_t node = pools_[p].needs_node(gpus) ? cluster_.best_fit_node(p, gpus) : 0;
        if (pools_[p].can_start(gpus, demands_.estimate_s(job, p), static_cast<std::uint32_t>(node))) {
            return static_cast<int>(p);
        }
    }
    return -1;
}

bool ClusterMachine::can_start_now(const sched::PendingJob& job) {
    checked_job_ = job.job;
    checked_pool_ = pool_to_start(job.job);
    return checked_pool_ >= 0;
}

void ClusterMachine::start_now(const sched::PendingJob& job) {
    const int p = checked_job_ == job.job ? checked_pool_ : pool_to_start(job.job);
    checked_job_ = UINT32_MAX;
    if (p < 0) throw InternalError("cluster machine: start_now for a job that cannot start");
    const auto pool = static_cast<std::uint32_t>(p);
    const int gpus = demands_.gpus(job.job);
    starts_.push_back({job.job, cluster_.allocate(pool, gpus, job.job)});
    pools_[pool].start(gpus, demands_.estimate_s(job.job, pool), starts_.back().allocation.nodes);
}

double ClusterMachine::reserve_earliest(const sched::PendingJob& job) {
    checked_job_ = UINT32_MAX;
    const int gpus = demands_.gpus(job.job);
    double best_s = std::numeric_limits<double>::infinity();
    int best_pool = -1;
    for (const std::uint32_t p : demands_.pools(job.job)) {
        const double t = pools_[p].earliest(gpus, demands_.estimate_s(job.job, p));
        if (t < best_s) {
            best_s = t;
            best_pool = static_cast<int>(p);
        }
    }
    if (best_pool >= 0) {
        const auto pool = static_cast<std::uint32_t>(best_pool);
        pools_[pool].reserve_at(gpus, demands_.estimate_s(job.job, pool), best_s);
    }
    return best_s;
}

} // namespace capsim::cluster
