// capsim: the command-line entry point. Everything but argument parsing lives in capsim::core.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "capsim/util/error.hpp"
#include "replay_command.hpp"

int main(int argc, char** argv) {
    CLI::App app{"capsim: compute-capacity planning simulator for shared AI supercomputing infrastructure"};
    app.set_version_flag("--version", "capsim " CAPSIM_VERSION);
    app.require_subcommand(1);

    capsim::cli::ReplayCommandOptions replay_options;
    CLI::App* replay = capsim::cli::add_replay_command(app, replay_options);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e); // prints help, version or the usage error
        return code == 0 ? 0 : static_cast<int>(capsim::ExitCode::usage);
    }

    try {
        if (replay->parsed()) capsim::cli::run_replay_command(replay_options);
        return 0;
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
