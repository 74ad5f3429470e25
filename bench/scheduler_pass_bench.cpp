// One scheduling pass at queue depths from 10^2 to 10^6, for each policy and queue order, on a busy
// machine where nothing in the queue can start now (the head is blocked and the free units are fewer
// than any queued job needs, or than any job the head's reservation leaves room for). This is the pass
// of an under-built system; its cost must not grow with the depth.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "capsim/sched/conservative_policy.hpp"
#include "capsim/sched/easy_policy.hpp"
#include "capsim/sched/fcfs_policy.hpp"
#include "capsim/sched/scheduling_pass.hpp"
#include "capsim/sched/unit_pool_machine.hpp"

namespace {

using capsim::sched::QueueOrder;
using capsim::sched::RunningJob;

constexpr std::uint64_t seed = 0x5eed'0bad'beefULL;
constexpr std::int64_t total_units = 1024;
constexpr std::int64_t free_units = 8;
constexpr std::size_t running_count = 200;
constexpr std::size_t tenants = 4;
constexpr double now_s = 1'000.0;
constexpr double max_estimate_s = 86'400.0;

/// A busy machine and a deep queue in which no job fits now. The same on every run.
struct PassFixture {
    capsim::sched::SchedulingQueue queue;
    std::vector<RunningJob> running;
    std::vector<std::int64_t> units_by_job;

    /// With `small_tail`, the queue ends with one job small enough for the free units, so a policy
    /// that plans every job ahead of a startable one must plan the whole queue to decide it.
    PassFixture(std::size_t depth, QueueOrder order, bool small_tail = false) : queue(order, tenants) {
        std::mt19937_64 rng(seed);
        std::uniform_real_distribution<double> estimate_s(60.0, max_estimate_s);

        // The running jobs hold every unit but `free_units`, one or more each.
        std::vector<std::int64_t> held(running_count, 1);
        std::uniform_int_distribution<std::size_t> pick(0, running_count - 1);
        for (std::int64_t left = total_units - free_units - static_cast<std::int64_t>(running_count); left > 0;
             --left) {
            ++held[pick(rng)];
        }
        for (std::size_t i = 0; i < running_count; ++i) {
            running.push_back({static_cast<std::uint32_t>(i), held[i], now_s + estimate_s(rng)});
            units_by_job.push_back(held[i]);
        }
        std::sort(running.begin(), running.end(),
                  [](const RunningJob& a, const RunningJob& b) { return a.estimated_end_s < b.estimated_end_s; });

        std::uniform_int_distribution<std::int64_t> units(free_units + 1, total_units / 2);
        for (std::size_t i = 0; i < depth; ++i) {
            const auto job = static_cast<std::uint32_t>(running_count + i);
            const double submit_s = static_cast<double>(i);
            const double estimate = estimate_s(rng);
            units_by_job.push_back(units(rng));
            const auto key = capsim::sched::queue_key(order, submit_s, estimate, 0, job);
            queue.push({key, job, units_by_job.back(), estimate}, i % tenants, false);
        }
        if (small_tail) {
            const auto job = static_cast<std::uint32_t>(running_count + depth);
            units_by_job.push_back(free_units);
            const auto key = capsim::sched::queue_key(order, static_cast<double>(depth), max_estimate_s, 0, job);
            queue.push({key, job, free_units, max_estimate_s}, tenants - 1, false);
        }
        // Tenants by factor: two share the top, so their jobs interleave.
        queue.order_tenants({1.0, 1.0, 0.5, 0.25});
    }
};

template <class Policy, bool small_tail = false>
void bm_scheduling_pass(benchmark::State& state) {
    const auto order = static_cast<QueueOrder>(state.range(1));
    const PassFixture fixture(static_cast<std::size_t>(state.range(0)), order, small_tail);
    capsim::sched::UnitPoolMachine machine(fixture.units_by_job);
    const Policy policy;
    capsim::sched::SchedulingPass pass;
    std::size_t starts = 0;
    for (auto _ : state) {
        machine.begin_pass(now_s, free_units, fixture.running);
        starts = pass.run(policy, fixture.queue, machine).size();
        benchmark::ClobberMemory();
    }
    state.counters["starts"] = static_cast<double>(starts);
    state.SetLabel(std::string(capsim::sched::to_string(order)));
}

void depths(benchmark::internal::Benchmark* b, std::int64_t max_depth) {
    for (const QueueOrder order : capsim::sched::all_queue_orders()) {
        for (std::int64_t depth = 100; depth <= max_depth; depth *= 10) b->Args({depth, static_cast<std::int64_t>(order)});
    }
}

BENCHMARK(bm_scheduling_pass<capsim::sched::FcfsPolicy>)
    ->Name("pass/fcfs")
    ->Apply([](auto* b) { depths(b, 1'000'000); })
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_scheduling_pass<capsim::sched::EasyPolicy>)
    ->Name("pass/easy")
    ->Apply([](auto* b) { depths(b, 1'000'000); })
    ->Unit(benchmark::kMicrosecond);
// Conservative plans each job ahead of the last one that could start now; here none can, so the pass
// ends after the head.
BENCHMARK(bm_scheduling_pass<capsim::sched::ConservativePolicy>)
    ->Name("pass/conservative")
    ->Apply([](auto* b) { depths(b, 1'000'000); })
    ->Unit(benchmark::kMicrosecond);
// The case that stays costly: a small job at the tail makes the pass plan the whole queue, each plan
// O(steps) in the availability profile, so the pass grows as depth^2.
BENCHMARK(bm_scheduling_pass<capsim::sched::ConservativePolicy, true>)
    ->Name("pass/conservative-small-tail")
    ->Apply([](auto* b) { depths(b, 10'000); })
    ->Unit(benchmark::kMicrosecond);

} // namespace
