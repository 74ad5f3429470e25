#pragma once
#include <string>

namespace capsim::io {

/// An output file that appears under its final name only when complete. Writers write to
/// temp_path(); commit() renames it into place. If the object is destroyed first (an error, an
/// exception), the temporary file is removed, so a failed run leaves nothing that looks complete.
class AtomicOutput {
public:
    /// Checks up front that the file may be written: an existing file is kept unless `overwrite`
    /// (throws Error with ExitCode::usage), and a missing directory is an IoError.
    AtomicOutput(std::string final_path, bool overwrite);
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;
    ~AtomicOutput();

    const std::string& temp_path() const { return temp_path_; }
    const std::string& final_path() const { return final_path_; }
    /// Renames the file into place, then removes what killed runs of the same output left (a
    /// temporary file whose process no longer exists).
    void commit();

private:
    void remove_stale_temporaries() const;

    std::string final_path_;
    std::string temp_path_;
    bool committed_ = false;
};

} // namespace capsim::io
