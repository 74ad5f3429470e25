#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace capsim::workload {

/// One job line of a Standard Workload Format trace, with the fields capsim uses, as written in the
/// file (-1 where the trace does not know). The rules that turn it into a job to simulate live in
/// replay_job.hpp, not here.
struct SwfRecord {
    std::int64_t id = -1;                   // field 1
    double submit_s = -1;                   // field 2
    double run_s = -1;                      // field 4
    std::int64_t allocated_processors = -1; // field 5
    std::int64_t requested_processors = -1; // field 8
    double requested_time_s = -1;           // field 9
    std::size_t line = 0;                   // 1-based line number in the file, for messages
};

/// A parsed trace: the header values capsim uses and the job lines in file order.
struct SwfTrace {
    std::string source;                       // file name as given, for messages and output
    std::optional<std::int64_t> max_procs;    // header `; MaxProcs: N`
    std::optional<std::int64_t> max_nodes;    // header `; MaxNodes: N`
    std::vector<SwfRecord> records;           // in file order (not necessarily by submit time)

    /// The machine size the trace declares: MaxProcs, else MaxNodes.
    std::optional<std::int64_t> declared_processors() const { return max_procs ? max_procs : max_nodes; }
};

} // namespace capsim::workload
