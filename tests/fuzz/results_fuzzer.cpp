// A results file, corrupt or foreign, read by `capsim summary` and by `capsim merge` (as a shard):
// an error that names the file, never a crash. Seeds: small files written by capsim itself
// (scripts/fuzz.sh and the test command write them first).
#include <cstdio>
#include <filesystem>
#include <fcntl.h>
#include <unistd.h>

#include "capsim/io/shard_merge.hpp"
#include "fuzz_support.hpp"
#include "summary_command.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // The summary prints to stdout; libFuzzer reports on stderr.
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, STDOUT_FILENO);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = capsim::fuzz::write_scratch_file("results.h5", capsim::fuzz::as_text(data, size));
    capsim::fuzz::expect_clean_outcome([&] { capsim::cli::print_results_summary(path); });
    const std::string merged = (capsim::fuzz::scratch_directory() / "merged.h5").string();
    capsim::fuzz::expect_clean_outcome([&] { (void)capsim::io::merge_shards({path}, merged, true); });
    std::fflush(stdout);
    std::error_code ignored;
    std::filesystem::remove(merged, ignored);
    return 0;
}
