#pragma once
#include <string>

#include "capsim/metrics/replay_summary.hpp"
#include "capsim/replay/trace_replay.hpp"

namespace capsim::io {

/// Writes a replay's job table (group `jobs`, one column per field along dimension `job`) and its
/// summary (root attributes) to an HDF5 file at `path`, which it creates or truncates.
/// Layout: docs/output.md.
void write_replay_results(const std::string& path, const replay::ReplayResult& result,
                          const metrics::ReplaySummary& summary);

} // namespace capsim::io
