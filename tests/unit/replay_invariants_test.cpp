// Invariants that must hold for every policy on random traces: no processor used twice, no job
// starting before its submission, every job accounted for exactly once, FCFS keeping queue order,
// EASY never starting its head later than the reservation it gave it.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <tuple>

#include "capsim/sched/easy_policy.hpp"
#include "test_support.hpp"

namespace capsim {
namespace {

constexpr std::int64_t machine_processors = 32;

/// Random jobs with integer times (so that many events share an instant), some too large to run,
/// some with no processors or no run time, estimates above, equal to and below the run time.
std::vector<test::TraceJob> random_jobs(std::uint64_t seed, std::size_t count) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> gap(0, 40), procs(1, 34), run(1, 600), kind(0, 9);
    std::vector<test::TraceJob> jobs;
    double submit = 0;
    for (std::size_t i = 0; i < count; ++i) {
        submit += gap(rng) < 10 ? 0 : gap(rng); // bursts of simultaneous submissions
        test::TraceJob job{submit, procs(rng), static_cast<double>(run(rng)), -1};
        switch (kind(rng)) {
        case 0: job.requested_s = -1; break;                           // no estimate
        case 1: job.requested_s = job.run_s; break;                    // exact
        case 2: job.requested_s = std::max(1.0, job.run_s / 2); break; // killed at its limit
        case 3: job.processors = 0; break;                             // skipped
        default: job.requested_s = job.run_s * (1 + kind(rng));        // overestimate
        }
        jobs.push_back(job);
    }
    // Shuffle a few lines: a trace need not be sorted by submit time.
    for (std::size_t i = 0; i + 1 < jobs.size(); i += 17) std::swap(jobs[i], jobs[i + 1]);
    return jobs;
}

void expect_never_overbooked(const replay::ReplayResult& result) {
    // Sweep starts and ends; at one instant ends come first (a job holds [start, end)).
    std::vector<std::tuple<double, int, std::int64_t>> changes;
    for (const auto& j : result.jobs) {
        changes.emplace_back(j.start_s, 1, j.job.processors);
        changes.emplace_back(j.end_s, 0, -j.job.processors);
    }
    std::sort(changes.begin(), changes.end());
    std::int64_t busy = 0;
    for (const auto& [t, order, delta] : changes) {
        busy += delta;
        ASSERT_LE(busy, result.processors) << "more than " << result.processors << " busy at t=" << t;
        ASSERT_GE(busy, 0);
    }
}

void expect_common_invariants(const replay::ReplayResult& result) {
    EXPECT_EQ(result.jobs.size() + result.excluded.skipped() + result.excluded.rejected(), result.records);
    for (const auto& j : result.jobs) {
        EXPECT_GE(j.start_s, j.job.submit_s) << "job " << j.job.id;
        EXPECT_EQ(j.end_s, j.start_s + j.job.run_s) << "job " << j.job.id;
        EXPECT_LE(j.job.run_s, j.job.estimate_s) << "job " << j.job.id;
        EXPECT_LE(j.job.processors, result.processors);
    }
    expect_never_overbooked(result);
}

class RandomTraces : public ::testing::TestWithParam<std::tuple<std::string, sched::QueueOrder, std::uint64_t>> {};

TEST_P(RandomTraces, HoldInvariants) {
    const auto& [policy, order, seed] = GetParam();
    const auto result = test::replay_jobs(machine_processors, random_jobs(seed, 400), policy, order);
    EXPECT_GT(result.excluded.rejected(), 0u); // the generator makes some jobs too large
    EXPECT_GT(result.excluded.skipped(), 0u);
    expect_common_invariants(result);
}

INSTANTIATE_TEST_SUITE_P(AllPolicies, RandomTraces,
                         ::testing::Combine(::testing::Values("fcfs", "easy", "conservative"),
                                            ::testing::Values(sched::QueueOrder::fifo, sched::QueueOrder::sjf),
                                            ::testing::Values(1u, 2u, 3u, 4u, 5u)),
                         [](const auto& param_info) {
                             return std::get<0>(param_info.param) + "_" +
                                    std::string(sched::to_string(std::get<1>(param_info.param))) + "_seed" +
                                    std::to_string(std::get<2>(param_info.param));
                         });

TEST(RandomTraces, FcfsStartsJobsInQueueOrder) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        auto result = test::replay_jobs(machine_processors, random_jobs(seed, 400), "fcfs");
        auto jobs = result.jobs;
        std::stable_sort(jobs.begin(), jobs.end(), [](const auto& a, const auto& b) {
            return std::tie(a.job.submit_s, a.job.trace_position) < std::tie(b.job.submit_s, b.job.trace_position);
        });
        for (std::size_t i = 1; i < jobs.size(); ++i) {
            EXPECT_LE(jobs[i - 1].start_s, jobs[i].start_s) << "job " << jobs[i].job.id << " overtook "
                                                            << jobs[i - 1].job.id;
        }
    }
}

/// A machine that forwards everything and remembers every reservation made through it.
class WatchedMachine final : public sched::SchedulingMachine {
public:
    WatchedMachine(sched::SchedulingMachine& machine, std::map<std::uint32_t, std::vector<double>>& reservations)
        : machine_(machine), reservations_(reservations) {}
    double now_s() const override { return machine_.now_s(); }
    bool is_full() const override { return machine_.is_full(); }
    sched::StartBound start_bound() const override { return machine_.start_bound(); }
    bool can_start_now(const sched::PendingJob& job) override { return machine_.can_start_now(job); }
    void start_now(const sched::PendingJob& job) override { machine_.start_now(job); }
    double reserve_earliest(const sched::PendingJob& job) override {
        const double start_s = machine_.reserve_earliest(job);
        reservations_[job.job].push_back(start_s);
        return start_s;
    }

private:
    sched::SchedulingMachine& machine_;
    std::map<std::uint32_t, std::vector<double>>& reservations_;
};

/// Runs EASY and remembers every reservation given to each head job (EASY makes one per pass at most).
class WatchedEasy final : public sched::SchedulingPolicy {
public:
    std::string_view name() const override { return "easy"; }
    void select(sched::QueueWalk& queue, sched::SchedulingMachine& machine) const override {
        WatchedMachine watched(machine, reservations);
        easy_.select(queue, watched);
    }
    mutable std::map<std::uint32_t, std::vector<double>> reservations;

private:
    sched::EasyPolicy easy_;
};

TEST(RandomTraces, EasyNeverStartsTheHeadLaterThanItsReservation) {
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        const auto trace = workload::parse_swf(test::swf_text(machine_processors, random_jobs(seed, 400)), "random");
        WatchedEasy policy;
        const auto result = replay::replay_trace(trace, {}, policy);
        ASSERT_FALSE(policy.reservations.empty());
        for (const auto& [job, shadows] : policy.reservations) {
            for (const double shadow : shadows) {
                EXPECT_LE(result.jobs[job].start_s, shadow) << "seed " << seed << ", job " << result.jobs[job].job.id;
            }
        }
        expect_common_invariants(result);
    }
}

TEST(RandomTraces, SameTraceGivesIdenticalResults) {
    const auto jobs = random_jobs(42, 400);
    for (const char* policy : {"fcfs", "easy", "conservative"}) {
        const auto a = test::replay_jobs(machine_processors, jobs, policy);
        const auto b = test::replay_jobs(machine_processors, jobs, policy);
        ASSERT_EQ(a.jobs.size(), b.jobs.size());
        for (std::size_t i = 0; i < a.jobs.size(); ++i) EXPECT_EQ(a.jobs[i].start_s, b.jobs[i].start_s);
    }
}

} // namespace
} // namespace capsim
