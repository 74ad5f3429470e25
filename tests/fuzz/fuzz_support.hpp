#pragma once
/// What the libFuzzer harnesses share: a scratch folder of their own, and the rule they enforce.
/// The rule: bad input may end in a capsim::Error (which names the problem for the user), never
/// in a crash, a sanitizer report, a hang, or any other exception escaping to the caller.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

#include "capsim/util/error.hpp"

namespace capsim::fuzz {

/// A folder for this process's files, removed by nobody: libFuzzer ends the process with _exit, so
/// each harness reuses a few fixed names inside it instead of creating new ones per input.
inline const std::filesystem::path& scratch_directory() {
    static const std::filesystem::path directory = [] {
        auto path = std::filesystem::temp_directory_path() / ("capsim-fuzz-" + std::to_string(getpid()));
        std::filesystem::create_directories(path);
        return path;
    }();
    return directory;
}

/// Writes `bytes` to the scratch file `name` and returns its path.
inline std::string write_scratch_file(const std::string& name, std::string_view bytes) {
    const std::string path = (scratch_directory() / name).string();
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Runs `body`; a capsim::Error is the expected answer to bad input. Anything else propagates, and
/// libFuzzer reports it as a crash with the input that caused it.
template <class Body>
void expect_clean_outcome(Body&& body) {
    try {
        body();
    } catch (const capsim::Error&) {
    }
}

} // namespace capsim::fuzz
