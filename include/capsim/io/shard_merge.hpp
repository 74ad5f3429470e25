#pragma once
/// `capsim merge`: the shard files of a study (`capsim run --shard i/n`) into one results file with
/// the same layout and statistics as a run of the whole study in one process.

#include <string>
#include <vector>

namespace capsim::io {

struct MergeReport {
    std::size_t shards = 0;
    std::size_t runs = 0;
    double write_s = 0;
};

/// Checks that `shards` come from the same study and cover its runs exactly once (a missing,
/// duplicated or foreign shard is an error that names it), then writes `output` (under a temporary
/// name, renamed when complete; an existing file only with `overwrite`).
MergeReport merge_shards(const std::vector<std::string>& shards, const std::string& output, bool overwrite);

} // namespace capsim::io
