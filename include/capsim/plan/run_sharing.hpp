#pragma once
/// How the processes of one plan share its runs. Every process follows the same search: given the
/// same runs, it takes the same decisions. Of each candidate's replications, process k of n
/// simulates those with r % n == k and learns the others' from its peers: the ranks of an MPI job
/// by message, the shards of a Slurm array (`--shard k/n`) through each other's journals on a
/// shared file system. A run is the same whoever simulates it, so a plan chooses the same
/// candidate on any number of processes.

#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "capsim/plan/replication_outcome.hpp"
#include "capsim/run/study_work.hpp"
#include "capsim/study/rank_transport.hpp"

namespace capsim::plan {

/// One replication of a candidate's evaluation, as the processes share it.
struct SharedRun {
    enum class State { missing, done, failed, stopped };
    State state = State::missing;
    ReplicationOutcome outcome;
    std::string error;  // why it failed
    std::exception_ptr exception; // what this process caught, when it simulated the run
    bool kept = false;  // read from an earlier, interrupted plan's journal
};

class RunSharing {
public:
    virtual ~RunSharing() = default;
    virtual std::size_t index() const { return 0; }
    virtual std::size_t count() const { return 1; }
    /// "shard 1/4", "rank 1 of 4"; empty for a process on its own.
    virtual std::string name() const { return {}; }
    bool simulates(std::size_t replication) const { return replication % count() == index(); }
    /// Whether this process writes the plan's results (and prints its summary).
    bool writes_results() const { return index() == 0; }

    /// The journal this process appends to, "" if none; which of its runs it records there.
    virtual std::string own_journal(const std::string& journal) const { return journal; }
    virtual bool records(std::size_t replication) const { (void)replication; return true; }
    /// The journals whose runs --resume keeps.
    virtual std::vector<std::string> journals(const std::string& journal) const { return {journal}; }
    /// Called by every process once it has checked and read the journals, before it writes any.
    virtual void ready() {}

    /// Fills in the runs of `runs` (replications `first`.. of candidate `grid`) that this process
    /// does not simulate. Every process calls it for the same candidates in the same order.
    virtual void exchange(std::size_t grid, std::size_t first, std::vector<SharedRun>& runs) {
        (void)grid; (void)first; (void)runs;
    }
    /// Called when the search has ended: a shard says so; shard 0 waits until every shard has.
    virtual void finish() {}
};

std::unique_ptr<RunSharing> alone();
/// The ranks of an MPI job (a process on its own when `transport` has one rank).
std::unique_ptr<RunSharing> over_ranks(study::RankTransport& transport, std::size_t constraints);
/// Shard `shard` of a plan whose journal is `journal`: shard k appends to `journal`.shard-k-of-n
/// and reads the others' as they grow. `quiet` drops the lines said while waiting.
std::unique_ptr<RunSharing> over_shard_journals(const run::Shard& shard, const std::string& journal,
                                                const std::string& fingerprint, std::size_t constraints, bool quiet);

} // namespace capsim::plan
