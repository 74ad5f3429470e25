#include "capsim/io/atomic_output.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "capsim/util/error.hpp"

namespace capsim::io {

AtomicOutput::AtomicOutput(std::string final_path, bool overwrite) : final_path_(std::move(final_path)) {
    namespace fs = std::filesystem;
    if (final_path_.empty()) throw Error(ExitCode::usage, "the output file name is empty");
    const fs::path target(final_path_);
    std::error_code error;
    if (fs::is_directory(target, error)) {
        throw Error(ExitCode::usage, "output '" + final_path_ + "' is a directory; give a file name");
    }
    if (fs::exists(target, error) && !overwrite) {
        throw Error(ExitCode::usage, "output '" + final_path_ + "' exists; use --force to overwrite it");
    }
    const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(directory, error)) {
        throw IoError("cannot write '" + final_path_ + "': directory '" + directory.string() + "' does not exist");
    }
    if (::access(directory.c_str(), W_OK) != 0) {
        throw IoError("cannot write '" + final_path_ + "': directory '" + directory.string() +
                      "' is not writable (" + std::strerror(errno) + ")");
    }
    // The temporary name does not end in the final extension, so nothing mistakes it for a result.
    temp_path_ = final_path_ + ".tmp." + std::to_string(::getpid());
}

AtomicOutput::~AtomicOutput() {
    if (!committed_) std::remove(temp_path_.c_str());
}

void AtomicOutput::commit() {
    if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
        throw IoError("cannot rename '" + temp_path_ + "' to '" + final_path_ + "': " + std::strerror(errno));
    }
    committed_ = true;
    remove_stale_temporaries();
}

void AtomicOutput::remove_stale_temporaries() const {
    // What a killed run of the same output left behind: its process is gone, so nothing writes there.
    namespace fs = std::filesystem;
    const fs::path target(final_path_);
    const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
    const std::string prefix = target.filename().string() + ".tmp.";
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(directory, error)) {
        const std::string name = entry.path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string pid_text = name.substr(prefix.size());
        if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
        const auto pid = static_cast<pid_t>(std::stol(pid_text));
        if (::kill(pid, 0) != 0 && errno == ESRCH) fs::remove(entry.path(), error);
    }
}

} // namespace capsim::io
