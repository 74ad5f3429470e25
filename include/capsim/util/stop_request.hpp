#pragma once
/// Stopping on SIGINT (Ctrl-C) and SIGTERM (what Slurm sends at a time limit): the handler only
/// records the signal; the event loop and the study runner poll it and unwind with Interrupted, so
/// that temporary files are removed and a study's finished runs are kept for --resume.

#include <string>

#include "capsim/util/error.hpp"

namespace capsim {

/// Installs the handlers for SIGINT and SIGTERM. A second signal of either kind ends the process at
/// once, as if no handler were installed.
void install_stop_handlers();

/// The signal that asked the process to stop; 0 if none. Cheap enough for the event loop.
int stop_signal() noexcept;

/// For tests: as if `signal` had arrived (0 clears it).
void request_stop_for_testing(int signal) noexcept;

/// The run was stopped by a signal; the exit code is 128 + the signal (130 for SIGINT, 143 for
/// SIGTERM), as a shell reports a process killed by it.
class Interrupted : public Error {
public:
    Interrupted(int signal, const std::string& message);
    int signal() const noexcept { return signal_; }

private:
    int signal_;
};

/// Throws Interrupted if a stop was requested: `what` says what stops ("the run", "the study").
void throw_if_stop_requested(const char* what);

/// "SIGINT" or "SIGTERM" (or "signal N").
std::string signal_name(int signal);

} // namespace capsim
