#pragma once
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace capsim::cli {

struct RunCommandOptions {
    std::string scenario;
    std::vector<std::string> overrides;
    std::string output;
    bool force = false;
    std::uint64_t replications = 0; // 0: as the scenario says
    int threads = 0;                // 0: every core
    std::string shard;              // "i/n", or empty for the whole study
    bool resume = false;
    bool quiet = false;
    bool ignore_disk_space = false;
};

struct ValidateCommandOptions {
    std::string scenario;
    std::vector<std::string> overrides;
};

/// `capsim run SCENARIO [-o results.h5]`: validates a scenario, simulates it, writes the results.
CLI::App* add_run_command(CLI::App& app, RunCommandOptions& options);
void run_run_command(const RunCommandOptions& options);

/// `capsim validate SCENARIO`: reports every problem of a scenario file, simulates nothing.
CLI::App* add_validate_command(CLI::App& app, ValidateCommandOptions& options);
void run_validate_command(const ValidateCommandOptions& options);

} // namespace capsim::cli
