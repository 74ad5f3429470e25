#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "capsim/engine/event_queue.hpp"

namespace {

constexpr std::uint64_t seed = 0x5eed'cafe'f00dULL;

/// Exponential(1) increments drawn once, so that the timed loop measures the queue, not the RNG.
std::vector<double> random_increments_s(std::size_t count) {
    std::mt19937_64 rng(seed);
    std::exponential_distribution<double> increment_s(1.0);
    std::vector<double> out(count);
    for (double& x : out) x = increment_s(rng);
    return out;
}

/// The classic hold model: a queue of N events in steady state; each operation pops the next event
/// and pushes one at its time plus a random increment, so the size stays N.
void bm_event_queue_hold(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    constexpr std::size_t increment_count = std::size_t{1} << 16; // power of two: cheap wrap-around
    const std::vector<double> increments_s = random_increments_s(increment_count);

    capsim::engine::EventQueue queue;
    queue.reserve(n + 1);
    for (std::size_t i = 0; i < n; ++i) queue.push(increments_s[i % increment_count] * 10.0, 0, 0, i);

    std::size_t next = 0;
    for (auto _ : state) {
        const capsim::engine::Event event = queue.pop();
        queue.push(event.time_s + increments_s[next], 0, event.kind, event.subject);
        next = (next + 1) & (increment_count - 1);
    }
    benchmark::DoNotOptimize(queue.top());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations())); // one hold = pop + push
}
BENCHMARK(bm_event_queue_hold)->Name("event_queue/hold")->Arg(1'000)->Arg(100'000)->Arg(1'000'000);

/// Pushes N events at random times into an empty queue, then pops them all.
void bm_event_queue_bulk(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::vector<double> times_s = random_increments_s(n);

    for (auto _ : state) {
        capsim::engine::EventQueue queue;
        for (std::size_t i = 0; i < n; ++i) queue.push(times_s[i], 0, 0, i);
        while (!queue.empty()) benchmark::DoNotOptimize(queue.pop());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n)); // events pushed and popped
}
BENCHMARK(bm_event_queue_bulk)->Name("event_queue/bulk")->Arg(1'000)->Arg(100'000)->Arg(1'000'000);

} // namespace
