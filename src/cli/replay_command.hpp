#pragma once
#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace capsim::cli {

struct ReplayCommandOptions {
    std::string trace;
    std::optional<std::int64_t> processors;
    std::string policy = "easy";
    std::string order = "fifo";
    std::string output;
    bool json = false;
    bool force = false;
};

/// `capsim replay TRACE ...`: replays a workload trace under a batch scheduling policy.
CLI::App* add_replay_command(CLI::App& app, ReplayCommandOptions& options);
void run_replay_command(const ReplayCommandOptions& options);

} // namespace capsim::cli
