#pragma once
/// Where a study run keeps each finished run until the results file is assembled: one small HDF5
/// file per (point, replication) in `<output>.parts/`, each written under a temporary name and
/// renamed, so that a run killed at any moment (a cluster's time limit) leaves only whole parts,
/// and `--resume` can skip them.

#include <string>
#include <vector>

#include "capsim/run/run_record.hpp"
#include "capsim/run/study_work.hpp"

namespace capsim::io {

class PartsDirectory {
public:
    /// The directory `path` for the study with this fingerprint (created when missing).
    PartsDirectory(std::string path, std::string fingerprint);

    const std::string& path() const { return path_; }
    /// The runs already finished there. A part of another study is an error that names it.
    std::vector<run::WorkItem> finished() const;
    /// Writes one finished run (values in the order of `schema`'s variables).
    void write(const run::RunRecord& schema, const run::FinishedRun& run) const;
    /// The schema stored in the part of `item`.
    run::RunRecord schema(run::WorkItem item) const;
    /// `count` values from `offset` of the flat values of `item`.
    std::vector<double> read(run::WorkItem item, std::size_t offset, std::size_t count) const;
    /// Removes the directory and every part in it.
    void remove() const;

    std::string part_path(run::WorkItem item) const;

private:
    std::string path_;
    std::string fingerprint_;
};

} // namespace capsim::io
