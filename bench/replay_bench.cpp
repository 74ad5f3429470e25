#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <exception>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "capsim/metrics/replay_summary.hpp"
#include "capsim/replay/trace_replay.hpp"
#include "capsim/workload/swf_reader.hpp"

namespace {

namespace fs = std::filesystem;

const char* const policies[] = {"fcfs", "easy", "conservative"};

/// Plain copies expected in the shared data directory; listed so that their absence shows as a
/// skipped benchmark rather than silently dropping the plain-versus-gzip comparison.
const char* const expected_shared_files[] = {
    "CEA-Curie-2011-sample.swf",
    "HPC2N-2002-excerpt.swf",
    "KTH-SP2-1996-2.1-cln.filtered.swf",
    "lublin_256.swf",
};

bool is_swf_name(const std::string& name) {
    return name.ends_with(".swf") || name.ends_with(".swf.gz");
}

/// The SWF file names in `dir`, sorted; empty when the directory does not exist.
std::vector<std::string> swf_files_in(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file(error) && is_swf_name(name)) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

/// Reads, replays and summarizes one trace per iteration: the whole cost of `capsim replay` less
/// writing the output.
void bm_replay(benchmark::State& state, const std::string& path, const std::string& policy) {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) {
        state.SkipWithError((path + " not found").c_str());
        return;
    }
    capsim::replay::ReplayOptions options;
    options.policy = policy;
    std::size_t jobs = 0;
    try {
        for (auto _ : state) {
            const capsim::workload::SwfTrace trace = capsim::workload::read_swf_file(path);
            const capsim::replay::ReplayResult result = capsim::replay::replay_trace(trace, options);
            const capsim::metrics::ReplaySummary summary = capsim::metrics::summarize(result.jobs, result.processors);
            benchmark::DoNotOptimize(summary);
            jobs = result.jobs.size();
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
        return;
    }
    state.counters["jobs"] = static_cast<double>(jobs);
    state.counters["jobs_per_second"] =
        benchmark::Counter(static_cast<double>(jobs), benchmark::Counter::kIsIterationInvariantRate);
}

void register_replays(const fs::path& path) {
    for (const char* const policy : policies) {
        const std::string name = "replay/" + std::string(policy) + "/" + path.filename().string();
        benchmark::RegisterBenchmark(name.c_str(), bm_replay, path.string(), std::string(policy))
            ->Unit(benchmark::kMillisecond);
    }
}

/// The bundled .swf.gz traces, then the shared plain traces (expected ones even when absent, so they
/// show as skipped) and any other shared trace whose name the bundled set does not already have:
/// same-named files there are byte-identical copies.
void register_replay_benchmarks() {
    const fs::path trace_dir = CAPSIM_TRACE_DIR;
    const fs::path shared_dir = CAPSIM_SHARED_SWF_DIR;

    std::set<std::string> registered;
    for (const std::string& name : swf_files_in(trace_dir)) {
        register_replays(trace_dir / name);
        registered.insert(name);
    }
    std::vector<std::string> shared_names = swf_files_in(shared_dir);
    shared_names.insert(shared_names.end(), std::begin(expected_shared_files), std::end(expected_shared_files));
    std::sort(shared_names.begin(), shared_names.end());
    for (const std::string& name : shared_names) {
        if (registered.insert(name).second) register_replays(shared_dir / name);
    }
}

} // namespace

int main(int argc, char** argv) {
    register_replay_benchmarks();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
