#pragma once
/// The work of a study: every (sweep point, replication) pair, in a fixed order that shards and MPI
/// ranks split, and what one finished pair hands to the writer.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "capsim/run/run_record.hpp"
#include "capsim/scenario/study.hpp"

namespace capsim::run {

struct WorkItem {
    std::size_t point = 0;
    std::size_t replication = 0;
    bool operator==(const WorkItem&) const = default;
};

/// Points times replications, point-major: item k is (k / replications, k % replications).
class WorkList {
public:
    WorkList(std::size_t points, std::size_t replications) : points_(points), replications_(replications) {}
    std::size_t size() const { return points_ * replications_; }
    std::size_t points() const { return points_; }
    std::size_t replications() const { return replications_; }
    WorkItem item(std::size_t index) const { return {index / replications_, index % replications_}; }
    std::size_t index(WorkItem item) const { return item.point * replications_ + item.replication; }

private:
    std::size_t points_;
    std::size_t replications_;
};

/// `--shard i/n`: the i-th (0-based, as Slurm numbers array tasks) of n contiguous slices of the work list.
struct Shard {
    std::size_t index = 0;
    std::size_t count = 1;

    /// Parses "i/n"; throws capsim::Error (usage) with the reason when malformed.
    static Shard parse(const std::string& text);
    std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
    /// The first and one-past-last work item index of this slice of `items` items.
    std::size_t begin(std::size_t items) const { return index * items / count; }
    std::size_t end(std::size_t items) const { return (index + 1) * items / count; }
};

/// One finished run: the values of its record's variables, concatenated in record order.
struct FinishedRun {
    WorkItem item;
    std::vector<double> values;
    double jobs = 0;        // jobs simulated, for the progress line
    double wall_time_s = 0; // not stored in results: it differs between machines
};

std::vector<double> flatten(const RunRecord& record);

/// Identifies a study: the scenario text with --set applied, the sweep and the replications. Runs,
/// shards and parts with the same fingerprint belong together (16 hex digits of FNV-1a).
std::string study_fingerprint(const scenario::Study& study);

/// Simulates `scenario` with the random streams of (stream point, replication), keeping no job
/// table, and returns its record.
RunRecord simulate_record(const scenario::Scenario& scenario, std::uint64_t stream_point, std::size_t replication,
                          double* jobs = nullptr, double* wall_time_s = nullptr);

/// Scenario point p, replication r: the random streams of replication r of point p.
FinishedRun simulate_work_item(const scenario::Study& study, WorkItem item, RunRecord* schema = nullptr);

} // namespace capsim::run
