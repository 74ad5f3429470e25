#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "capsim/sched/conservative_policy.hpp"
#include "capsim/sched/easy_policy.hpp"
#include "capsim/sched/unit_pool_machine.hpp"

namespace {

using capsim::sched::PendingJob;
using capsim::sched::RunningJob;

constexpr std::uint64_t seed = 0x5eed'0bad'beefULL;
constexpr std::int64_t total_units = 1024;
constexpr std::int64_t free_units = 8;
constexpr std::size_t running_count = 200;
constexpr double now_s = 1'000.0;
constexpr double max_estimate_s = 86'400.0;

/// A busy machine and a deep queue in which no job fits now: the head is blocked and a backfilling
/// policy has to look at every queued job. The view owns its storage and is the same on every run.
struct PassFixture {
    std::vector<PendingJob> queue;
    std::vector<RunningJob> running;
    std::vector<std::int64_t> units_by_job;

    explicit PassFixture(std::size_t depth) {
        std::mt19937_64 rng(seed);
        std::uniform_real_distribution<double> estimate_s(60.0, max_estimate_s);

        // The running jobs hold every unit but `free_units`, one or more each.
        std::vector<std::int64_t> held(running_count, 1);
        std::uniform_int_distribution<std::size_t> pick(0, running_count - 1);
        for (std::int64_t left = total_units - free_units - static_cast<std::int64_t>(running_count); left > 0;
             --left) {
            ++held[pick(rng)];
        }
        running.reserve(running_count);
        for (std::size_t i = 0; i < running_count; ++i) {
            running.push_back({static_cast<std::uint32_t>(i), held[i], now_s + estimate_s(rng)});
            units_by_job.push_back(held[i]);
        }
        std::sort(running.begin(), running.end(),
                  [](const RunningJob& a, const RunningJob& b) { return a.estimated_end_s < b.estimated_end_s; });

        std::uniform_int_distribution<std::int64_t> units(free_units + 1, total_units / 2);
        queue.reserve(depth);
        for (std::size_t i = 0; i < depth; ++i) {
            units_by_job.push_back(units(rng));
            queue.push_back({static_cast<std::uint32_t>(running_count + i), estimate_s(rng)});
        }
    }
};

template <class Policy>
void bm_scheduling_pass(benchmark::State& state) {
    const PassFixture fixture(static_cast<std::size_t>(state.range(0)));
    capsim::sched::UnitPoolMachine machine(fixture.units_by_job);
    Policy policy;
    std::vector<std::size_t> starts;
    starts.reserve(fixture.queue.size());

    for (auto _ : state) {
        starts.clear();
        machine.begin_pass(now_s, free_units, fixture.running);
        policy.select(fixture.queue, machine, starts);
        benchmark::DoNotOptimize(starts.data());
        benchmark::ClobberMemory();
    }
    state.counters["starts"] = static_cast<double>(starts.size());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * fixture.queue.size())); // jobs scanned
}

BENCHMARK(bm_scheduling_pass<capsim::sched::EasyPolicy>)
    ->Name("pass/easy")
    ->Arg(100)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMicrosecond);

BENCHMARK(bm_scheduling_pass<capsim::sched::ConservativePolicy>)
    ->Name("pass/conservative")
    ->Arg(100)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Unit(benchmark::kMicrosecond);

} // namespace
