// The pass checks every decision of a policy before the machine sees it, and the machines' start
// bounds never exclude a job the machine would start.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "capsim/cluster/cluster_machine.hpp"
#include "capsim/sched/easy_policy.hpp"
#include "capsim/sched/scheduling_pass.hpp"
#include "capsim/sched/unit_pool_machine.hpp"
#include "capsim/util/error.hpp"

namespace capsim {
namespace {

using sched::PendingJob;
using sched::QueueOrder;

/// A policy that starts every job it is offered, whether or not the machine can hold it.
class GreedyPolicy final : public sched::SchedulingPolicy {
public:
    std::string_view name() const override { return "greedy"; }
    void select(sched::QueueWalk& queue, sched::SchedulingMachine& machine) const override {
        for (const auto* e = queue.next(); e; e = queue.next()) machine.start_now(sched::pending(*e));
    }
};

/// A policy that starts a job the queue never offered.
class InventingPolicy final : public sched::SchedulingPolicy {
public:
    std::string_view name() const override { return "inventing"; }
    void select(sched::QueueWalk&, sched::SchedulingMachine& machine) const override { machine.start_now({99, 1.0}); }
};

/// Starts the head twice.
class TwicePolicy final : public sched::SchedulingPolicy {
public:
    std::string_view name() const override { return "twice"; }
    void select(sched::QueueWalk& queue, sched::SchedulingMachine& machine) const override {
        const auto* e = queue.next();
        machine.start_now(sched::pending(*e));
        machine.start_now(sched::pending(*e));
    }
};

struct Fixture {
    std::vector<std::int64_t> units{4, 4, 4};
    sched::SchedulingQueue queue{QueueOrder::fifo};
    sched::UnitPoolMachine machine{units};
    Fixture() {
        for (std::uint32_t j = 0; j < 3; ++j) queue.push({{double(j), 0, j}, j, 4, 10.0}, 0, false);
        machine.begin_pass(0.0, 6, {}); // room for one job of 4 units
    }
};

TEST(SchedulingPass, AStartTheMachineCannotHoldIsAnInternalError) {
    Fixture f;
    sched::SchedulingPass pass;
    EXPECT_THROW(pass.run(GreedyPolicy{}, f.queue, f.machine), InternalError);
}

TEST(SchedulingPass, AStartOfAJobNotOfferedIsAnInternalError) {
    Fixture f;
    sched::SchedulingPass pass;
    EXPECT_THROW(pass.run(InventingPolicy{}, f.queue, f.machine), InternalError);
}

TEST(SchedulingPass, AJobStartedTwiceIsAnInternalError) {
    Fixture f;
    sched::SchedulingPass pass;
    EXPECT_THROW(pass.run(TwicePolicy{}, f.queue, f.machine), InternalError);
}

TEST(SchedulingPass, ReturnsTheStartsInOrderAndTheReservations) {
    Fixture f;
    sched::SchedulingPass pass;
    const auto& starts = pass.run(sched::EasyPolicy{}, f.queue, f.machine);
    ASSERT_EQ(starts.size(), 1u);
    EXPECT_EQ(starts[0].job, 0u);
    // Nothing running ends, so the head can never have 4 more units: nothing behind it could start
    // either, and EASY plans no reservation.
    EXPECT_TRUE(pass.reservations().empty());
}

// A random pool, random starts and one reservation: whatever the machine would start, the bound allows.
TEST(StartBound, UnitPoolBoundNeverExcludesAStartableJob) {
    std::mt19937_64 rng(5);
    std::uniform_int_distribution<std::int64_t> units(1, 40);
    std::uniform_real_distribution<double> estimate(1, 5000), end(1, 4000);
    for (int trial = 0; trial < 300; ++trial) {
        std::vector<std::int64_t> demand;
        for (int j = 0; j < 60; ++j) demand.push_back(units(rng));
        std::vector<sched::RunningJob> running;
        std::int64_t busy = 0;
        for (std::uint32_t j = 0; j < 10; ++j) {
            running.push_back({j, demand[j], 1000 + end(rng)});
            busy += demand[j];
        }
        std::sort(running.begin(), running.end(),
                  [](const auto& a, const auto& b) { return a.estimated_end_s < b.estimated_end_s; });
        sched::UnitPoolMachine machine(demand);
        machine.begin_pass(1000, std::max<std::int64_t>(0, 200 - busy) + units(rng), running);
        machine.reserve_earliest({10, estimate(rng)}); // EASY's head
        for (std::uint32_t j = 11; j < 60; ++j) {
            const PendingJob job{j, estimate(rng)};
            const auto bound = machine.start_bound();
            if (machine.can_start_now(job)) {
                ASSERT_TRUE(bound.might_start(demand[j], job.estimate_s)) << "trial " << trial << " job " << j;
                machine.start_now(job);
            }
        }
    }
}

/// Jobs of given GPUs on every pool, with estimates scaled by each pool's speed.
class Demands final : public cluster::JobDemands {
public:
    std::vector<int> gpus_of;
    std::vector<double> estimate_first;
    std::vector<std::uint32_t> all_pools;
    std::vector<cluster::Allocation> allocations;
    const cluster::GpuCluster* cluster = nullptr;
    int gpus(std::uint32_t job) const override { return gpus_of[job]; }
    const cluster::Allocation& allocation(std::uint32_t job) const override { return allocations[job]; }
    std::span<const std::uint32_t> pools(std::uint32_t) const override { return all_pools; }
    double estimate_s(std::uint32_t job, std::uint32_t pool) const override {
        // Work in FLOPs: slower pools take longer, in proportion to their peak.
        return estimate_first[job] * cluster->pool(all_pools.front()).peak_flops_per_gpu /
               cluster->pool(pool).peak_flops_per_gpu;
    }
};

TEST(StartBound, ClusterBoundNeverExcludesAStartableJob) {
    std::mt19937_64 rng(9);
    std::uniform_int_distribution<int> gpus_pick(0, 5);
    const int sizes[] = {1, 2, 4, 8, 16, 32};
    std::uniform_real_distribution<double> estimate(10, 5000);
    for (int trial = 0; trial < 100; ++trial) {
        cluster::GpuCluster cluster;
        cluster::Pool fast{0, "fast", "B", 8, 2e15, 2, 0, 0};
        cluster::Pool slow{1, "slow", "A", 4, 1e15, 1, 0, 0};
        const auto pf = cluster.add_pool(fast);
        const auto ps = cluster.add_pool(slow);
        cluster.set_powered(cluster.add_order(pf, 4), 4);
        cluster.set_powered(cluster.add_order(ps, 6), 6);
        Demands demands;
        demands.cluster = &cluster;
        demands.all_pools = {pf, ps};
        for (int j = 0; j < 80; ++j) {
            demands.gpus_of.push_back(sizes[gpus_pick(rng)]);
            demands.estimate_first.push_back(estimate(rng));
        }
        // Fill the pools with running jobs first.
        std::vector<sched::RunningList> running(2);
        cluster::ClusterMachine warmup(cluster, demands);
        warmup.begin_pass(0, running);
        for (std::uint32_t j = 0; j < 20; ++j) {
            if (warmup.can_start_now({j, demands.estimate_first[j]})) warmup.start_now({j, demands.estimate_first[j]});
        }
        demands.allocations.resize(demands.gpus_of.size());
        for (const auto& s : warmup.starts()) {
            demands.allocations[s.job] = s.allocation;
            const int units = cluster.footprint(s.allocation.pool, demands.gpus_of[s.job]);
            running[s.allocation.pool].add({s.job, units, demands.estimate_s(s.job, s.allocation.pool)});
        }
        cluster::ClusterMachine machine(cluster, demands);
        machine.begin_pass(1, running);
        machine.reserve_earliest({20, demands.estimate_first[20]});
        for (std::uint32_t j = 21; j < 80; ++j) {
            const PendingJob job{j, demands.estimate_first[j]};
            const auto bound = machine.start_bound();
            if (machine.can_start_now(job)) {
                ASSERT_TRUE(bound.might_start(demands.gpus_of[j], job.estimate_s)) << "trial " << trial << " job " << j;
                machine.start_now(job);
            }
        }
    }
}

} // namespace
} // namespace capsim
