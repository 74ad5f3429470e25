#pragma once
/// Simulates the planner's candidates: replication r of every candidate draws the same random
/// streams (common random numbers), so candidates differ only by their decisions. Keeps every run's
/// outcome, runs a candidate's replications in parallel (threads here, and the processes of a
/// RunSharing), and appends each finished run to a journal that --resume reads back, so that a
/// killed plan continues where it stopped.

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "capsim/plan/plan_journal.hpp"
#include "capsim/plan/replication_outcome.hpp"
#include "capsim/plan/run_sharing.hpp"
#include "capsim/run/run_record.hpp"
#include "capsim/scenario/plan.hpp"

namespace capsim::plan {

/// One candidate: its decisions and the outcomes of replications 0..n-1 evaluated so far.
struct Candidate {
    std::vector<std::size_t> choice;  // a value index per decision
    std::size_t grid_index = 0;       // its place in the grid, last decision fastest
    std::vector<ReplicationOutcome> outcomes;
    std::string load_error;           // why the scenario refused these decisions; empty if it loaded

    std::size_t successes() const;    // replications in which every constraint holds
    double attainment() const;        // successes / replications evaluated; 0 when none
    double cost_mean() const;         // mean over the replications evaluated; NaN when none
    double worst_mean(std::size_t constraint) const; // mean of a constraint's worst value (NaN ignored)
    double constraint_attainment(std::size_t constraint) const;
};

class CandidateEvaluator {
public:
    /// What to do with the journal of an earlier plan that was stopped.
    enum class Earlier { refuse, discard, resume };

    /// `journal` is the file that keeps each run for --resume ("" for none); with Earlier::resume,
    /// its runs of this same plan are read back first (a journal of another plan is an error).
    /// `sharing` says which runs this process simulates and how it learns the others'.
    CandidateEvaluator(const scenario::PlanProblem& problem, int threads, const std::string& journal, Earlier earlier,
                       RunSharing& sharing);
    ~CandidateEvaluator();
    CandidateEvaluator(const CandidateEvaluator&) = delete;
    CandidateEvaluator& operator=(const CandidateEvaluator&) = delete;

    /// Makes sure replications 0..replications-1 of `choice` are evaluated and returns the candidate.
    const Candidate& evaluate(const std::vector<std::size_t>& choice, std::size_t replications);
    /// The runs evaluate(choice, replications) would still need.
    std::size_t runs_needed(const std::vector<std::size_t>& choice, std::size_t replications) const;

    const std::vector<Candidate>& candidates() const { return candidates_; }
    std::size_t runs_used() const { return simulated_ + resumed_; }
    /// Runs simulated by this plan's processes, this one or its peers.
    std::size_t runs_simulated() const { return simulated_; }
    std::size_t runs_resumed() const { return resumed_; }
    int threads() const { return threads_; }

private:
    Candidate& candidate(const std::vector<std::size_t>& choice);
    void simulate_mine(const scenario::Scenario& scenario, const Candidate& c, std::size_t first,
                       std::vector<SharedRun>& runs);

    const scenario::PlanProblem& problem_;
    int threads_;
    RunSharing& sharing_;
    std::string fingerprint_;
    std::unique_ptr<JournalWriter> journal_;
    std::vector<Candidate> candidates_;          // in the order first evaluated
    std::map<std::size_t, std::size_t> by_grid_; // grid index -> position in candidates_
    std::map<RunKey, ReplicationOutcome> kept_;  // read from the journals of an earlier plan
    std::size_t simulated_ = 0;
    std::size_t resumed_ = 0;
};

/// Replication `replication` of a candidate's scenario, as the planner simulates it: with the
/// random streams of stream point 0 whatever the candidate (common random numbers), so that
/// replication r of every candidate draws the same jobs.
run::RunRecord simulate_candidate(const scenario::Scenario& candidate, std::size_t replication);

/// Identifies a plan: the scenario with --set applied and its plan block (16 hex digits).
std::string plan_fingerprint(const scenario::PlanProblem& problem);

} // namespace capsim::plan
