// Node-aware plans on GPU pools: a reserved multi-node job is planned where its nodes will be wholly
// free, and no start in the same pass breaks a node it counts on.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "capsim/cluster/cluster_machine.hpp"
#include "capsim/cluster/gpu_cluster.hpp"
#include "capsim/sched/unit_pool_machine.hpp"

namespace capsim {
namespace {

using sched::PendingJob;

/// Jobs of given GPUs and estimates, all on pool 0, and the allocations of those that run.
class Demands final : public cluster::JobDemands {
public:
    std::vector<int> gpus_of;
    std::vector<double> estimate_of;
    std::vector<cluster::Allocation> allocations;
    std::vector<std::uint32_t> pool_list{0};
    int gpus(std::uint32_t job) const override { return gpus_of[job]; }
    std::span<const std::uint32_t> pools(std::uint32_t) const override { return pool_list; }
    double estimate_s(std::uint32_t job, std::uint32_t) const override { return estimate_of[job]; }
    const cluster::Allocation& allocation(std::uint32_t job) const override { return allocations[job]; }

    std::uint32_t add(int gpus, double estimate_s) {
        gpus_of.push_back(gpus);
        estimate_of.push_back(estimate_s);
        allocations.emplace_back();
        return static_cast<std::uint32_t>(gpus_of.size() - 1);
    }
};

/// One pool of `nodes` nodes of 8 GPUs, all powered, with jobs placed on it by hand.
struct Pool {
    cluster::GpuCluster cluster;
    Demands demands;
    std::vector<sched::RunningList> running{1};

    explicit Pool(int nodes) {
        const auto p = cluster.add_pool(cluster::Pool{0, "node", "H100", 8, 1e15, 1, 0, 0});
        cluster.set_powered(cluster.add_order(p, nodes), nodes);
    }
    /// Starts a job of `gpus` now (placement's choice of node) that the plan expects to end at `end_s`.
    std::uint32_t run(int gpus, double end_s) {
        const std::uint32_t job = demands.add(gpus, end_s);
        demands.allocations[job] = cluster.allocate(0, gpus, job);
        running[0].add({job, cluster.footprint(0, gpus), end_s});
        return job;
    }
};

TEST(PoolPlan, MultiNodeJobIsPlannedWhenItsNodesAreWhole) {
    // Best fit puts the first two jobs on one node: it holds 4 GPUs until 100 and 4 until 1000; the
    // second node holds 4 until 1000, the third is idle. Counting GPUs, 16 are free at 100; but the
    // second whole node only comes at 1000.
    Pool pool(3);
    pool.run(4, 100);
    pool.run(4, 1000);
    pool.run(4, 1000);
    ASSERT_EQ(pool.cluster.free_gpus(0), 12);
    const std::uint32_t head = pool.demands.add(16, 50);
    cluster::ClusterMachine machine(pool.cluster, pool.demands);
    machine.begin_pass(0, pool.running);
    EXPECT_EQ(machine.reserve_earliest({head, 50}), 1000);
}

TEST(PoolPlan, BackfillMayNotBreakANodeTheReservationCountsOn) {
    // Two 8-GPU nodes with 5 GPUs busy until 100, a third idle. A 16-GPU job is reserved at 100 on
    // two of the three whole nodes then: one long 3-GPU job may take a part-free node, a second may not.
    Pool pool(3);
    pool.run(5, 100);
    pool.run(5, 100);
    const std::uint32_t head = pool.demands.add(16, 50);
    const std::uint32_t first = pool.demands.add(3, 1000);
    const std::uint32_t second = pool.demands.add(3, 1000);
    const std::uint32_t short_one = pool.demands.add(3, 100);
    cluster::ClusterMachine machine(pool.cluster, pool.demands);
    machine.begin_pass(0, pool.running);
    ASSERT_FALSE(machine.can_start_now({head, 50}));
    EXPECT_EQ(machine.reserve_earliest({head, 50}), 100);
    ASSERT_TRUE(machine.can_start_now({first, 1000}));
    machine.start_now({first, 1000});
    // Counting GPUs alone, 5 of the 24 at 100 would still be spare and this start would pass.
    EXPECT_FALSE(machine.can_start_now({second, 1000}));
    // A job that ends by the reservation's start may use the node meanwhile.
    EXPECT_TRUE(machine.can_start_now({short_one, 100}));
}

TEST(PoolPlan, SingleNodeJobsAreAnsweredAsByTheirGpuCount) {
    // Without multi-node jobs, nodes never constrain the plan: every answer must equal a plain GPU
    // count's (sched::UnitPoolMachine over the same running jobs).
    std::mt19937_64 rng(17);
    std::uniform_int_distribution<int> gpus_pick(1, 8);
    std::uniform_real_distribution<double> length(10, 3000);
    for (int trial = 0; trial < 200; ++trial) {
        Pool pool(6);
        for (int k = 0; k < 12; ++k) {
            const int g = gpus_pick(rng);
            if (pool.cluster.fits_now(0, g)) pool.run(g, 5 + length(rng));
        }
        std::vector<std::int64_t> units;
        std::vector<PendingJob> queue;
        for (int k = 0; k < 40; ++k) {
            const double estimate = length(rng);
            const std::uint32_t job = pool.demands.add(gpus_pick(rng), estimate);
            queue.push_back({job, estimate});
        }
        for (const int g : pool.demands.gpus_of) units.push_back(g);
        cluster::ClusterMachine nodes(pool.cluster, pool.demands);
        sched::UnitPoolMachine counts(units);
        nodes.begin_pass(1, pool.running);
        counts.begin_pass(1, pool.cluster.free_gpus(0), pool.running[0].jobs());
        // Conservative: every job that cannot start is reserved; every one that can, starts.
        for (const PendingJob& job : queue) {
            const bool fits = pool.cluster.fits_now(0, pool.demands.gpus_of[job.job]);
            const bool counted = counts.can_start_now(job);
            ASSERT_EQ(nodes.can_start_now(job), fits && counted) << "trial " << trial << " job " << job.job;
            if (fits && counted) {
                nodes.start_now(job);
                counts.start_now(job);
            } else {
                ASSERT_EQ(nodes.reserve_earliest(job), counts.reserve_earliest(job)) << "trial " << trial;
            }
        }
    }
}

TEST(PoolPlan, ReservedMultiNodeJobCanBePlacedAtItsPlannedStart) {
    // EASY passes over random pools: the head of the queue, a multi-node job, is reserved; the rest
    // start when the plan allows. If every job then ends at its estimate, the head's nodes must be
    // wholly free at its planned start. Counting GPUs alone fails this on fragmented pools.
    std::mt19937_64 rng(5);
    std::uniform_int_distribution<int> small(1, 7);
    std::uniform_int_distribution<int> large(9, 32);
    std::uniform_real_distribution<double> length(10, 2000);
    int checked = 0;
    for (int trial = 0; trial < 300; ++trial) {
        Pool pool(6);
        for (int k = 0; k < 10; ++k) {
            const int g = small(rng);
            if (pool.cluster.fits_now(0, g)) pool.run(g, 1 + length(rng));
        }
        const std::uint32_t head = pool.demands.add(large(rng), length(rng));
        std::vector<PendingJob> rest;
        for (int k = 0; k < 30; ++k) {
            const double estimate = length(rng);
            rest.push_back({pool.demands.add(small(rng), estimate), estimate});
        }
        cluster::ClusterMachine machine(pool.cluster, pool.demands);
        machine.begin_pass(0, pool.running);
        if (machine.can_start_now({head, pool.demands.estimate_of[head]})) continue;
        const double shadow_s = machine.reserve_earliest({head, pool.demands.estimate_of[head]});
        ASSERT_TRUE(std::isfinite(shadow_s));
        for (const PendingJob& job : rest) {
            if (machine.can_start_now(job)) machine.start_now(job);
        }
        // Every job whose estimated end is by the shadow time has ended there.
        for (const auto& r : pool.running[0].jobs()) {
            if (r.estimated_end_s <= shadow_s) pool.cluster.release(pool.demands.allocations[r.job], r.job);
        }
        for (const auto& s : machine.starts()) {
            if (pool.demands.estimate_of[s.job] <= shadow_s) pool.cluster.release(s.allocation, s.job);
        }
        EXPECT_TRUE(pool.cluster.fits_now(0, pool.demands.gpus_of[head]))
            << "trial " << trial << ": the reserved job of " << pool.demands.gpus_of[head] << " GPUs at "
            << shadow_s << " finds " << pool.cluster.free_gpus(0) << " GPUs free but not its nodes";
        ++checked;
    }
    EXPECT_GT(checked, 100); // most trials reach a reservation
}

} // namespace
} // namespace capsim
