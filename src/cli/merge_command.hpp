#pragma once
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace capsim::cli {

struct MergeCommandOptions {
    std::vector<std::string> shards;
    std::string output;
    bool force = false;
};

/// `capsim merge shard-*.h5 -o results.h5`: the shards of a study into one results file.
CLI::App* add_merge_command(CLI::App& app, MergeCommandOptions& options);
void run_merge_command(const MergeCommandOptions& options);

} // namespace capsim::cli
