#pragma once
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace capsim::cli {

struct PlanCommandOptions {
    std::string scenario;
    std::vector<std::string> overrides;
    std::string output;
    bool force = false;
    bool json = false;
    std::string write_scenario;
    int threads = 0;
    bool resume = false;
    std::string shard; // "i/n": this process is shard i of n sharing the runs through journals
    bool exhaustive = false;
    bool quiet = false;
};

/// `capsim plan SCENARIO -o plan.h5`: searches the decisions of the scenario's plan block for the
/// cheapest candidate that meets its service levels, and writes every evaluated candidate.
CLI::App* add_plan_command(CLI::App& app, PlanCommandOptions& options);
void run_plan_command(const PlanCommandOptions& options);

} // namespace capsim::cli
