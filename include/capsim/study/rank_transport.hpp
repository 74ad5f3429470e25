#pragma once
/// How the processes of a study run talk: one process alone, or the ranks of an MPI job. Rank 0
/// writes the results; the other ranks send it their finished runs.

#include <memory>
#include <optional>
#include <vector>

#include "capsim/run/study_work.hpp"

namespace capsim::study {

class RankTransport {
public:
    virtual ~RankTransport() = default;
    virtual std::size_t rank() const { return 0; }
    virtual std::size_t size() const { return 1; }
    /// Rank 0's list (of work item indices) to every rank; `ok` false makes every rank give up.
    virtual bool broadcast(std::vector<std::size_t>& items, bool ok) { (void)items; return ok; }
    /// From a rank other than 0: hands a finished run to rank 0.
    virtual void send(const run::FinishedRun& run) { (void)run; }
    /// On rank 0: a run another rank finished, if one has arrived.
    virtual std::optional<run::FinishedRun> poll() { return std::nullopt; }
    /// Every rank's `mine` (all the same length), concatenated in rank order, on every rank.
    virtual std::vector<double> all_gather(const std::vector<double>& mine) { return mine; }
    /// Waits until every rank gets here.
    virtual void barrier() {}
    /// Ends every rank after an error on this one (with MPI; alone, the caller reports the error).
    virtual void abort(int exit_code) { (void)exit_code; }
};

/// The transport of this process: MPI when capsim was built with it and started by mpirun with
/// more than one rank, else a process on its own.
std::unique_ptr<RankTransport> make_rank_transport();

/// Whether this build has MPI (-DCAPSIM_WITH_MPI=ON).
bool built_with_mpi();

} // namespace capsim::study
