#include "merge_command.hpp"

#include <cstdio>
#include <filesystem>

#include "capsim/io/shard_merge.hpp"
#include "format.hpp"
#include "summary_command.hpp"

namespace capsim::cli {

CLI::App* add_merge_command(CLI::App& app, MergeCommandOptions& options) {
    CLI::App* command = app.add_subcommand(
        "merge", "Combine the shard files of a study (capsim run --shard i/n) into one results file");
    command->add_option("shards", options.shards, "Shard files written by 'capsim run --shard'")->required();
    command->add_option("-o,--output", options.output, "The merged results file (HDF5)")->required();
    command->add_flag("--force", options.force, "Overwrite the output file if it exists");
    return command;
}

void run_merge_command(const MergeCommandOptions& options) {
    const io::MergeReport report = io::merge_shards(options.shards, options.output, options.force);
    std::error_code error;
    const auto bytes = std::filesystem::file_size(options.output, error);
    std::printf("capsim merge: %s from %s (%s MB, written in %.2f s)\n", plural(report.runs, "run").c_str(),
                plural(report.shards, "shard").c_str(), human(error ? 0.0 : static_cast<double>(bytes) / 1e6).c_str(),
                report.write_s);
    std::printf("  results      %s\n", options.output.c_str());
    print_results_summary(options.output);
}

} // namespace capsim::cli
