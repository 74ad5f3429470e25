#pragma once
/// The results file of a study (replications and sweep points): every group of a single run gains
/// the leading axes (point, replication), each swept key is a coordinate along `point`, and groups
/// `stats/<group>` hold the statistics across replications. Layout: docs/output.md.

#include <functional>
#include <memory>
#include <span>
#include <optional>
#include <string>
#include <vector>

#include "capsim/run/run_record.hpp"
#include "capsim/run/study_work.hpp"
#include "capsim/scenario/study.hpp"

namespace capsim::io {

class File;

/// Where a results file is assembled from: finished runs kept in a parts directory or in shard files.
class RunSource {
public:
    virtual ~RunSource() = default;
    /// Rows [first_row, first_row + rows) along the first axis of variable `variable` (its index in
    /// the schema) of a finished run; a scalar variable has one row.
    virtual std::vector<double> read(run::WorkItem item, std::size_t variable, std::size_t first_row,
                                     std::size_t rows) const = 0;
};

/// What a study file says about its study, whether written by the run or by `capsim merge`.
struct StudyHeader {
    std::string scenario_name;
    std::string fingerprint;
    std::size_t points = 1;
    std::size_t replications = 1;
    std::vector<scenario::SweepCoordinate> coordinates;
    scenario::ReplicationOutput replication_output = scenario::ReplicationOutput::both; // as the scenario asks
    /// Writes the root attributes that say where the results came from (scenario text, revision, ...).
    std::function<void(const File&)> write_provenance;
};

/// The header of a study run from its scenario files.
StudyHeader study_header(const scenario::Study& study);

struct StudyFileOptions {
    bool raw_series = true;          // groups sites and tenants per replication (summary and totals always)
    bool statistics = true;          // groups stats/*, for points whose every replication is in the file
    std::optional<run::Shard> shard; // set for the file of one shard: it records which slice it holds
    double wall_time_s = 0;
};

/// A study file written while the study runs: each finished run's values go into it as the run
/// arrives (so compressing them overlaps the simulation), and finish() adds the statistics.
class StudyFileBuilder {
public:
    /// Creates the file at `path` (truncating) with its groups and empty variables.
    StudyFileBuilder(const std::string& path, const StudyHeader& header, const run::RunRecord& schema,
                     const StudyFileOptions& options);
    ~StudyFileBuilder();
    /// One finished run's values, flat in the schema's order.
    void add_run(run::WorkItem item, std::span<const double> values);
    /// Writes the statistics of each point whose replications are all among `items` (read from
    /// `source`), which runs the file holds, and closes it. Unless `runs_added`, the runs' values
    /// are read from `source` and written too.
    void finish(const std::vector<run::WorkItem>& items, const RunSource& source, bool runs_added, double wall_time_s);

private:
    struct State;
    std::unique_ptr<State> state_;
};

/// Writes the results file of `study` at `path` (created or truncated) from the finished runs
/// `items` that `source` holds, in point-major order. Memory: a slice of about 8 Ki values of one
/// variable per replication of one point at a time, so it grows with the replications only by that.
void write_study_file(const std::string& path, const StudyHeader& header, const run::RunRecord& schema,
                      const std::vector<run::WorkItem>& items, const RunSource& source, const StudyFileOptions& options);

} // namespace capsim::io
