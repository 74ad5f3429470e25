#pragma once
// Small builders shared by the unit tests: SWF traces written inline, temporary files.
#include <cstdint>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "capsim/replay/trace_replay.hpp"
#include "capsim/workload/swf_reader.hpp"

namespace capsim::test {

/// One job for an inline trace; fields not given are -1 as in the archive.
struct TraceJob {
    double submit_s;
    std::int64_t processors;
    double run_s;
    double requested_s; // the estimate; -1 = none
};

/// An SWF trace text with `; MaxProcs: P` and one line per job, ids from 1.
inline std::string swf_text(std::int64_t processors, const std::vector<TraceJob>& jobs) {
    std::string text = "; MaxProcs: " + std::to_string(processors) + "\n";
    std::int64_t id = 1;
    for (const auto& j : jobs) {
        text += std::to_string(id++) + " " + std::to_string(j.submit_s) + " -1 " + std::to_string(j.run_s) + " " +
                std::to_string(j.processors) + " -1 -1 " + std::to_string(j.processors) + " " +
                std::to_string(j.requested_s) + " -1 1 1 1 -1 -1 -1 -1 -1\n";
    }
    return text;
}

inline replay::ReplayResult replay_jobs(std::int64_t processors, const std::vector<TraceJob>& jobs,
                                        const std::string& policy,
                                        sched::QueueOrder order = sched::QueueOrder::fifo) {
    const auto trace = workload::parse_swf(swf_text(processors, jobs), "inline.swf");
    replay::ReplayOptions options;
    options.policy = policy;
    options.order = order;
    return replay::replay_trace(trace, options);
}

/// A directory under the system temp dir, removed with everything in it at the end of the test.
class TempDir {
public:
    TempDir() {
        path_ = std::filesystem::temp_directory_path() /
                ("capsim-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::filesystem::path path_;
};

} // namespace capsim::test
