#include "capsim/io/replay_writer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "capsim/io/atomic_output.hpp"
#include "capsim/util/error.hpp"
#include "test_support.hpp"

namespace capsim::io {
namespace {

namespace fs = std::filesystem;

TEST(AtomicOutput, FailedRunLeavesNoFile) {
    test::TempDir dir;
    const fs::path target = dir.path() / "r.h5";
    try {
        AtomicOutput output(target.string(), false);
        std::ofstream(output.temp_path()) << "half-written";
        throw InputError("the run failed");
    } catch (const InputError&) {
    }
    EXPECT_FALSE(fs::exists(target));
    EXPECT_TRUE(fs::is_empty(dir.path())) << "the temporary file was left behind";
}

TEST(AtomicOutput, ExistingFileNeedsForce) {
    test::TempDir dir;
    const fs::path target = dir.path() / "r.h5";
    std::ofstream(target) << "earlier results";
    try {
        AtomicOutput output(target.string(), false);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::usage);
        EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos);
    }
    AtomicOutput output(target.string(), true);
    std::ofstream(output.temp_path()) << "new results";
    EXPECT_EQ(fs::file_size(target), std::string("earlier results").size()); // untouched until commit
    output.commit();
    EXPECT_EQ(fs::file_size(target), std::string("new results").size());
}

TEST(AtomicOutput, MissingDirectoryIsAnIoError) {
    EXPECT_THROW(AtomicOutput("/nonexistent-dir/r.h5", false), IoError);
}

TEST(ReplayWriter, WritesAFileThatCommitsAtomically) {
    test::TempDir dir;
    const fs::path target = dir.path() / "r.h5";
    const auto result = test::replay_jobs(10, {{0, 6, 100, 100}, {1, 8, 50, 50}}, "easy");
    const auto summary = metrics::summarize(result.jobs, result.processors);
    AtomicOutput output(target.string(), false);
    write_replay_results(output.temp_path(), result, summary);
    EXPECT_FALSE(fs::exists(target));
    output.commit();
    ASSERT_TRUE(fs::exists(target));
    std::ifstream in(target, std::ios::binary);
    char magic[8] = {};
    in.read(magic, 8);
    EXPECT_EQ(std::string(magic, 8), std::string("\x89HDF\r\n\x1a\n", 8));
}

} // namespace
} // namespace capsim::io
