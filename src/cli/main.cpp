// capsim: the command-line entry point. Everything but argument parsing lives in capsim::core.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <exception>

#include "capsim/util/error.hpp"
#include "capsim/util/stop_request.hpp"
#include "catalog_command.hpp"
#include "merge_command.hpp"
#include "plan_command.hpp"
#include "replay_command.hpp"
#include "scenario_commands.hpp"
#include "summary_command.hpp"
#include "capsim/scenario/diagnostics.hpp"

int main(int argc, char** argv) {
    CLI::App app{"capsim: compute-capacity planning simulator for shared AI supercomputing infrastructure"};
    app.set_version_flag("--version", "capsim " CAPSIM_VERSION);
    app.require_subcommand(1);

    capsim::cli::RunCommandOptions run_options;
    CLI::App* run = capsim::cli::add_run_command(app, run_options);
    capsim::cli::ValidateCommandOptions validate_options;
    CLI::App* validate = capsim::cli::add_validate_command(app, validate_options);
    capsim::cli::MergeCommandOptions merge_options;
    CLI::App* merge = capsim::cli::add_merge_command(app, merge_options);
    capsim::cli::SummaryCommandOptions summary_options;
    CLI::App* summary = capsim::cli::add_summary_command(app, summary_options);
    capsim::cli::ReplayCommandOptions replay_options;
    CLI::App* replay = capsim::cli::add_replay_command(app, replay_options);
    capsim::cli::PlanCommandOptions plan_options;
    CLI::App* plan = capsim::cli::add_plan_command(app, plan_options);
    capsim::cli::CatalogCommandOptions catalog_options;
    CLI::App* catalog = capsim::cli::add_catalog_command(app, catalog_options);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e); // prints help, version or the usage error
        return code == 0 ? 0 : static_cast<int>(capsim::ExitCode::usage);
    }

    // Only the long commands poll for a stop; the others keep the default: a signal ends them at once.
    if (run->parsed() || replay->parsed() || plan->parsed()) capsim::install_stop_handlers();
    // A file that grows past the size limit (ulimit -f, a cluster's quota) must fail its write, which
    // capsim reports with the file's name, rather than kill the process and leave its temporaries.
    std::signal(SIGXFSZ, SIG_IGN);
    try {
        if (run->parsed()) capsim::cli::run_run_command(run_options);
        if (validate->parsed()) capsim::cli::run_validate_command(validate_options);
        if (merge->parsed()) capsim::cli::run_merge_command(merge_options);
        if (summary->parsed()) capsim::cli::run_summary_command(summary_options);
        if (replay->parsed()) capsim::cli::run_replay_command(replay_options);
        if (plan->parsed()) capsim::cli::run_plan_command(plan_options);
        if (catalog->parsed()) capsim::cli::run_catalog_command(catalog_options);
        return 0;
    } catch (const capsim::scenario::ScenarioError& e) {
        // Each problem is already a full `file:line:col: error: ...` line.
        std::fprintf(stderr, "%s\n", e.what());
        const std::size_t n = e.diagnostics().items().size();
        std::fprintf(stderr, "capsim: %zu problem%s found; nothing was simulated\n", n, n == 1 ? "" : "s");
        return static_cast<int>(e.code());
    } catch (const capsim::Interrupted& e) {
        std::fprintf(stderr, "capsim: %s\n", e.what());
        return static_cast<int>(e.code());
    } catch (const capsim::Error& e) {
        std::fprintf(stderr, "capsim: error: %s\n", e.what());
        return static_cast<int>(e.code());
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "capsim: error: out of memory\n");
        return static_cast<int>(capsim::ExitCode::internal);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "capsim: internal error: %s\n", e.what());
        return static_cast<int>(capsim::ExitCode::internal);
    }
}
