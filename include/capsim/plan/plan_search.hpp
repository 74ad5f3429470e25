#pragma once
/// The planner's search: the cheapest candidate whose constraints all hold in at least the plan's
/// confidence share of its replications. Monotone decisions (more capacity never makes service
/// worse) are bisected and descended one at a time from the most capacity; the others are
/// enumerated, each combination with an equal share of the budget left; a candidate is screened
/// on a quarter of the replications and dropped as soon as it has failed more of them than the
/// confidence allows, so every verdict equals the one all replications would give. docs/planning.md describes the method and its assumptions.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "capsim/plan/candidate_evaluator.hpp"
#include "capsim/scenario/plan.hpp"

namespace capsim::plan {

struct PlanOptions {
    int threads = 0;          // 0: every core
    bool exhaustive = false;  // evaluate every candidate of the grid on every replication
    bool quiet = false;       // no progress lines
    std::string journal;      // where finished runs are kept for --resume
    CandidateEvaluator::Earlier earlier = CandidateEvaluator::Earlier::refuse; // an earlier plan's journal
    RunSharing* sharing = nullptr; // the processes that share the runs; none: this one alone
};

enum class Verdict { feasible, infeasible, not_loadable, unfinished };
const char* to_string(Verdict verdict);

struct PlanResult {
    std::vector<Candidate> candidates;   // every candidate evaluated, in the order first evaluated
    std::vector<Verdict> verdicts;       // per candidate
    std::optional<std::size_t> chosen;   // the cheapest feasible candidate
    std::optional<std::size_t> runner_up; // the next cheapest feasible one
    std::optional<std::size_t> closest;  // when none is feasible: the highest attainment
    std::vector<char> on_frontier;       // per candidate: no other is cheaper with at least its attainment
    std::size_t runs_simulated = 0;
    std::size_t runs_resumed = 0;
    bool budget_spent = false;           // the search stopped at the budget
    double wall_s = 0;
    int threads = 1;
    std::size_t processes = 1;           // MPI ranks or shards that shared the runs

    std::size_t runs_used() const { return runs_simulated + runs_resumed; }
};

/// The replications a candidate is screened on before the others are run.
std::size_t screening_replications(std::size_t replications);
/// The replications in which every constraint must hold: ceil(confidence x replications).
std::size_t required_successes(const scenario::PlanSpec& spec);

PlanResult search_plan(const scenario::PlanProblem& problem, const PlanOptions& options);

} // namespace capsim::plan
