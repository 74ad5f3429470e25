#pragma once
#include <CLI/CLI.hpp>

#include <string>

namespace capsim::cli {

struct SummaryCommandOptions {
    std::string results;
};

/// `capsim summary results.h5`: the key numbers of a results file, without Python.
CLI::App* add_summary_command(CLI::App& app, SummaryCommandOptions& options);
void run_summary_command(const SummaryCommandOptions& options);

/// Prints the key numbers of a results file (what `capsim summary` prints after its title line).
void print_results_summary(const std::string& path);

} // namespace capsim::cli
