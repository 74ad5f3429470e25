#include <benchmark/benchmark.h>

#include <omp.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "capsim/study/rank_transport.hpp"
#include "capsim/study/study_run.hpp"
#include "capsim/scenario/study.hpp"

namespace {

namespace fs = std::filesystem;

/// Replications of the default scenario per benchmark: 8 by default (about 20 s on one core);
/// CAPSIM_BENCH_REPLICATIONS=64 for the parallel-efficiency figure.
long replications() {
    const char* text = std::getenv("CAPSIM_BENCH_REPLICATIONS");
    const long n = text ? std::atol(text) : 8;
    return n > 0 ? n : 8;
}

/// A whole study of the default scenario on `threads` threads: every replication simulated, kept
/// as a part and assembled into the results file with its statistics. Parallel efficiency is the
/// one-thread time over (threads x this time).
void bm_study_default_scenario(benchmark::State& state) {
    const std::string path = std::string(CAPSIM_SCENARIO_DIR) + "/joint-2026.yaml";
    const auto study = capsim::scenario::load_study(path, {"replications=" + std::to_string(state.range(0))});
    const fs::path directory = fs::temp_directory_path() / ("capsim-study-bench-" + std::to_string(::getpid()));
    fs::create_directories(directory);
    capsim::study::StudyRunOptions options;
    options.output = (directory / "study.h5").string();
    options.force = true;
    options.quiet = true;
    options.threads = static_cast<int>(state.range(1));
    capsim::study::RankTransport alone;
    capsim::study::StudyRunReport report;
    for (auto _ : state) report = capsim::study::run_study(study, options, alone);
    fs::remove_all(directory);
    state.counters["runs"] = static_cast<double>(report.runs);
    state.counters["threads"] = report.threads;
    state.counters["simulate_s"] = report.simulate_s;
    state.counters["assemble_s"] = report.write_s;
    state.counters["jobs_per_second"] = report.simulate_s > 0 ? report.jobs / report.simulate_s : 0.0;
}

void study_arguments(benchmark::internal::Benchmark* b) {
    const long max_threads = omp_get_num_procs();
    for (long threads = 1; threads < max_threads; threads *= 2) b->Args({replications(), threads});
    b->Args({replications(), max_threads});
}

BENCHMARK(bm_study_default_scenario)
    ->Name("study/joint-2026")
    ->ArgNames({"replications", "threads"})
    ->Apply(study_arguments)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

} // namespace
