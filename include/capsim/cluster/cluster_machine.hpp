#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "capsim/cluster/gpu_cluster.hpp"
#include "capsim/sched/scheduling_machine.hpp"
#include "capsim/cluster/pool_plan.hpp"

namespace capsim::cluster {

/// What the machine needs to know of each job: its GPUs, the pools it may use (in order of
/// preference) and its estimated run time on each.
class JobDemands {
public:
    virtual ~JobDemands() = default;
    virtual int gpus(std::uint32_t job) const = 0;
    virtual std::span<const std::uint32_t> pools(std::uint32_t job) const = 0;
    virtual double estimate_s(std::uint32_t job, std::uint32_t pool) const = 0;
    /// Where a running job runs.
    virtual const Allocation& allocation(std::uint32_t running_job) const = 0;
};

/// The GPU nodes of all sites as a scheduling policy sees them (see SchedulingMachine). A job can
/// start now in a pool if the pool's nodes can place it (GpuCluster::fits_now) and starting it
/// delays none of the pass's reservations in that pool. Reservations are planned per pool on free
/// GPUs and wholly free nodes (PoolPlan) from the running jobs' estimated ends, so a multi-node job
/// is planned where its nodes will be whole. A job is started in, or reserved on, the first of its
/// pools (in its preference order) where it can start now, or where its earliest start is earliest.
class ClusterMachine final : public sched::SchedulingMachine {
public:
    ClusterMachine(GpuCluster& cluster, const JobDemands& demands);

    /// Starts a pass; `running[p]` lists the jobs running in pool p.
    void begin_pass(double now_s, const std::vector<sched::RunningList>& running);

    double now_s() const override { return now_s_; }
    bool is_full() const override;
    /// Over the pools: the largest job that the nodes can place now, and each pool's reservation
    /// (EASY's one) as a limit on units and estimate. Estimates are the job's on its first pool, so a
    /// pool's window is widened by the fastest-to-slowest speed ratio of the pools.
    sched::StartBound start_bound() const override;
    bool can_start_now(const sched::PendingJob& job) override;
    void start_now(const sched::PendingJob& job) override;
    double reserve_earliest(const sched::PendingJob& job) override;

    /// The jobs started in this pass and where.
    struct Start {
        std::uint32_t job;
        Allocation allocation;
    };
    const std::vector<Start>& starts() const { return starts_; }

private:
    /// The first pool where the job can start now, or -1.
    int pool_to_start(std::uint32_t job);

    GpuCluster& cluster_;
    const JobDemands& demands_;
    double now_s_ = 0;
    std::vector<PoolPlan> pools_;
    NodeFreeTimes node_free_times_;
    double speed_ratio_ = 1; // fastest pool's peak FLOP/s over the slowest's
    std::vector<Start> starts_;
    std::uint32_t checked_job_ = UINT32_MAX; // the last job can_start_now said yes to, and where
    int checked_pool_ = -1;
};

} // namespace capsim::cluster
