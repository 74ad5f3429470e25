#include <benchmark/benchmark.h>

#include <string>

#include "capsim/run/scenario_run.hpp"
#include "capsim/scenario/scenario_loader.hpp"

namespace {

/// Loading and validating the default scenario (YAML, units, profiles, CSV).
void bm_load_default_scenario(benchmark::State& state) {
    const std::string path = std::string(CAPSIM_SCENARIO_DIR) + "/joint-2026.yaml";
    for (auto _ : state) benchmark::DoNotOptimize(capsim::scenario::load_scenario(path));
}
BENCHMARK(bm_load_default_scenario)->Name("scenario/load/joint-2026")->Unit(benchmark::kMillisecond);

/// The infrastructure model alone over the default scenario's six years, at the output step given
/// (seconds): finer steps mean more events and larger series.
void bm_simulate_default_scenario(benchmark::State& state) {
    const std::string path = std::string(CAPSIM_SCENARIO_DIR) + "/joint-2026.yaml";
    const std::string step = std::to_string(state.range(0)) + "s";
    auto scenario = capsim::scenario::load_scenario(path, {"output.timestep=" + step});
    scenario.workloads.clear(); // the GPUs then follow the sites' load profiles
    std::uint64_t events = 0;
    for (auto _ : state) {
        const auto result = capsim::run::simulate_scenario(scenario);
        events = result.events;
        benchmark::DoNotOptimize(result);
    }
    state.counters["events"] = static_cast<double>(events);
    state.counters["events_per_second"] =
        benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(bm_simulate_default_scenario)->Name("scenario/infrastructure/joint-2026")->Arg(86400)->Arg(3600)->Unit(benchmark::kMillisecond);

/// A bundled scenario (path under scenarios/), whole: jobs simulated per second.
void bm_run_scenario(benchmark::State& state, const std::string& file) {
    const auto scenario = capsim::scenario::load_scenario(std::string(CAPSIM_SCENARIO_DIR) + "/" + file);
    std::size_t jobs = 0;
    for (auto _ : state) {
        const auto result = capsim::run::simulate_scenario(scenario);
        jobs = result.workload.jobs.size();
        benchmark::DoNotOptimize(result);
    }
    state.counters["jobs"] = static_cast<double>(jobs);
    state.counters["jobs_per_second"] =
        benchmark::Counter(static_cast<double>(jobs), benchmark::Counter::kIsIterationInvariantRate);
}
// The default scenario: infrastructure and about a million jobs of four tenants.
BENCHMARK_CAPTURE(bm_run_scenario, joint, std::string("joint-2026.yaml"))
    ->Name("scenario/run/joint-2026")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
// The overloaded fair-share case against the M/M/32 yardstick, in one run: their jobs per second
// compare (the overloaded one should reach at least half the other's).
BENCHMARK_CAPTURE(bm_run_scenario, overload, std::string("bench/overload-fairshare.yaml"))
    ->Name("scenario/run/overload-fairshare")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(bm_run_scenario, mm32, std::string("bench/mm32-load90.yaml"))
    ->Name("scenario/run/mm32-load90")
    ->Unit(benchmark::kMillisecond);

} // namespace
