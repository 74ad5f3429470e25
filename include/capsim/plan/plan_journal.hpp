#pragma once
/// The plan journal: a text file to which a plan's process appends each finished run of a
/// candidate, so that --resume continues a killed plan and shards of one plan learn each other's
/// runs. Lines: a header with the plan's fingerprint; `GRID REPLICATION COST (WORST HOLDS)... .`
/// per run (doubles in C's hexadecimal form, which reads back to the same bits); `! GRID
/// REPLICATION MESSAGE` for a run that failed; `done` once a shard's search has ended. A line cut
/// short by a kill lacks its final `.` and is ignored.

#include <cstddef>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "capsim/plan/replication_outcome.hpp"

namespace capsim::plan {

using RunKey = std::pair<std::size_t, std::size_t>; // grid index, replication

class JournalWriter {
public:
    /// Opens `path`, appending to what is there with `append`, else starting it with a header.
    JournalWriter(std::string path, const std::string& fingerprint, bool append);
    ~JournalWriter();
    JournalWriter(const JournalWriter&) = delete;
    JournalWriter& operator=(const JournalWriter&) = delete;

    void run(RunKey key, const ReplicationOutcome& outcome);
    void failure(RunKey key, const std::string& message);
    void done();

private:
    void write(const std::string& line);
    std::string path_;
    std::FILE* file_ = nullptr;
};

/// Reads a journal, again and again as another process appends to it.
class JournalReader {
public:
    JournalReader(std::string path, std::string fingerprint, std::size_t constraints);

    /// Reads the complete lines appended since the last call; false while the file does not exist.
    /// Throws capsim::Error when it is not a journal of this plan.
    bool read_new();

    const std::map<RunKey, ReplicationOutcome>& runs() const { return runs_; }
    const std::map<RunKey, std::string>& failures() const { return failures_; }
    bool done() const { return done_; }

private:
    void read_line(const std::string& line);
    std::string path_;
    std::string fingerprint_;
    std::size_t constraints_;
    long offset_ = 0;         // bytes read, up to the end of the last complete line
    bool header_read_ = false;
    std::map<RunKey, ReplicationOutcome> runs_;
    std::map<RunKey, std::string> failures_;
    bool done_ = false;
};

} // namespace capsim::plan
