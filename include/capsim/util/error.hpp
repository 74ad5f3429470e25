#pragma once
/// Errors that capsim reports to its users, each with the exit code the CLI returns for it.
/// Bad input (a malformed trace, an impossible option) is the user's to fix; an I/O error is the
/// system's (a full disk, a missing directory); an internal error is capsim's own bug.

#include <stdexcept>
#include <string>

namespace capsim {

/// Exit codes follow sysexits.h so that batch scripts can tell the causes apart.
enum class ExitCode : int {
    ok = 0,
    usage = 64,     // EX_USAGE: bad command line
    bad_input = 65, // EX_DATAERR: bad trace or scenario
    io = 74,        // EX_IOERR: cannot read or write a file
    internal = 70,  // EX_SOFTWARE: a bug in capsim
};

class Error : public std::runtime_error {
public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ExitCode code() const noexcept { return code_; }

private:
    ExitCode code_;
};

/// Input that capsim cannot accept: the message names the file, the line and what was expected.
class InputError : public Error {
public:
    explicit InputError(const std::string& message) : Error(ExitCode::bad_input, message) {}
};

/// A file that cannot be opened, read or written.
class IoError : public Error {
public:
    explicit IoError(const std::string& message) : Error(ExitCode::io, message) {}
};

/// A broken invariant inside capsim: never the user's fault.
class InternalError : public Error {
public:
    explicit InternalError(const std::string& message) : Error(ExitCode::internal, message) {}
};

} // namespace capsim
