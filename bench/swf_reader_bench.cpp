// SWF reading speed in bytes per second: parsing text already in memory (swf/parse), and reading a
// plain and a gzip file from disk (swf/read_file/plain, swf/read_file/gz). The trace is made here
// from a fixed seed, so no data file is needed: 200,000 job lines like an archive's (18 fields,
// whole numbers, -1 for unknown). Rates are per wall-clock second: large traces parse on all cores.
#include <benchmark/benchmark.h>

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "capsim/workload/swf_reader.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int job_lines = 200'000;

const std::string& synthetic_swf() {
    static const std::string text = [] {
        std::mt19937_64 rng(0x5f5f'2026ULL);
        std::uniform_int_distribution<int> size(1, 256), run(1, 86'400), gap(0, 120), factor(1, 5);
        std::string out = "; MaxProcs: 1024\n; MaxNodes: 1024\n";
        long submit = 0;
        char line[256];
        for (int job = 1; job <= job_lines; ++job) {
            submit += gap(rng);
            const int procs = size(rng), run_s = run(rng);
            std::snprintf(line, sizeof line, "%d %ld -1 %d %d -1 -1 %d %d -1 1 %d 1 -1 1 1 -1 -1\n", job, submit, run_s,
                          procs, procs, run_s * factor(rng), 1 + job % 97);
            out += line;
        }
        return out;
    }();
    return text;
}

void bm_parse(benchmark::State& state) {
    const std::string& text = synthetic_swf();
    for (auto _ : state) {
        const capsim::workload::SwfTrace trace = capsim::workload::parse_swf(text, "synthetic.swf");
        benchmark::DoNotOptimize(trace.records.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(bm_parse)->Name("swf/parse")->UseRealTime()->Unit(benchmark::kMillisecond);

/// Writes the synthetic trace to a temporary file, plain or gzip, and reads it back per iteration.
void bm_read_file(benchmark::State& state, bool gzip) {
    const std::string& text = synthetic_swf();
    const fs::path path = fs::temp_directory_path() / (gzip ? "capsim-bench-swf.swf.gz" : "capsim-bench-swf.swf");
    gzFile file = gzopen(path.c_str(), gzip ? "wb6" : "wbT"); // T: plain, no compression
    if (!file || gzwrite(file, text.data(), static_cast<unsigned>(text.size())) != static_cast<int>(text.size())) {
        state.SkipWithError("cannot write the temporary trace");
        if (file) gzclose(file);
        return;
    }
    gzclose(file);
    for (auto _ : state) {
        const capsim::workload::SwfTrace trace = capsim::workload::read_swf_file(path.string());
        benchmark::DoNotOptimize(trace.records.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size())); // uncompressed bytes
    std::error_code ignored;
    fs::remove(path, ignored);
}
BENCHMARK_CAPTURE(bm_read_file, plain, false)->Name("swf/read_file/plain")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(bm_read_file, gz, true)->Name("swf/read_file/gz")->UseRealTime()->Unit(benchmark::kMillisecond);

} // namespace
