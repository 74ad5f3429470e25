#include "capsim/plan/candidate_evaluator.hpp"

#include <omp.h>

#include <cmath>
#include <exception>
#include <filesystem>
#include <limits>
#include <optional>

#include "capsim/run/study_work.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/fingerprint.hpp"
#include "capsim/util/stop_request.hpp"

namespace capsim::plan {

std::size_t Candidate::successes() const {
    std::size_t n = 0;
    for (const ReplicationOutcome& o : outcomes) n += o.all_hold() ? 1 : 0;
    return n;
}

double Candidate::attainment() const {
    return outcomes.empty() ? 0.0 : static_cast<double>(successes()) / static_cast<double>(outcomes.size());
}

double Candidate::cost_mean() const {
    if (outcomes.empty()) return std::numeric_limits<double>::quiet_NaN();
    double sum = 0;
    for (const ReplicationOutcome& o : outcomes) sum += o.cost;
    return sum / static_cast<double>(outcomes.size());
}

double Candidate::worst_mean(std::size_t constraint) const {
    double sum = 0;
    std::size_t n = 0;
    for (const ReplicationOutcome& o : outcomes) {
        if (std::isnan(o.worst[constraint])) continue;
        sum += o.worst[constraint];
        ++n;
    }
    return n == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / static_cast<double>(n);
}

double Candidate::constraint_attainment(std::size_t constraint) const {
    if (outcomes.empty()) return 0.0;
    std::size_t n = 0;
    for (const ReplicationOutcome& o : outcomes) n += o.holds[constraint] ? 1 : 0;
    return static_cast<double>(n) / static_cast<double>(outcomes.size());
}

run::RunRecord simulate_candidate(const scenario::Scenario& candidate, std::size_t replication) {
    return run::simulate_record(candidate, 0, replication);
}

std::string plan_fingerprint(const scenario::PlanProblem& problem) {
    Fingerprint f;
    f.feed(problem.base().resolved_text); // the plan block is part of the text
    return f.hex();
}

CandidateEvaluator::CandidateEvaluator(const scenario::PlanProblem& problem, int threads, const std::string& journal,
                                       Earlier earlier, RunSharing& sharing)
    : problem_(problem), threads_(threads > 0 ? threads : omp_get_max_threads()), sharing_(sharing),
      fingerprint_(plan_fingerprint(problem)) {
    if (journal.empty()) return; // nothing kept: the plan cannot be resumed
    const std::string own = sharing_.own_journal(journal);
    const std::string& checked = own.empty() ? journal : own; // an MPI rank that keeps none checks rank 0's
    std::error_code error;
    const bool own_exists = std::filesystem::exists(checked, error);
    if (own_exists && earlier == Earlier::refuse) {
        throw Error(ExitCode::usage, "'" + checked + "' keeps the runs of an earlier, interrupted plan; add "
                                     "--resume to continue it or --force to start again");
    }
    if (earlier == Earlier::resume) {
        for (const std::string& path : sharing_.journals(journal)) {
            JournalReader reader(path, fingerprint_, problem_.spec().constraints.size());
            if (!reader.read_new()) continue;
            kept_.insert(reader.runs().begin(), reader.runs().end());
        }
    }
    sharing_.ready();
    if (!own.empty()) journal_ = std::make_unique<JournalWriter>(own, fingerprint_, own_exists && earlier == Earlier::resume);
}

CandidateEvaluator::~CandidateEvaluator() = default;

Candidate& CandidateEvaluator::candidate(const std::vector<std::size_t>& choice) {
    const std::size_t grid = problem_.spec().grid_index(choice);
    auto [at, inserted] = by_grid_.emplace(grid, candidates_.size());
    if (inserted) {
        Candidate c;
        c.choice = choice;
        c.grid_index = grid;
        candidates_.push_back(std::move(c));
    }
    return candidates_[at->second];
}

std::size_t CandidateEvaluator::runs_needed(const std::vector<std::size_t>& choice, std::size_t replications) const {
    const auto at = by_grid_.find(problem_.spec().grid_index(choice));
    if (at == by_grid_.end()) return replications;
    const Candidate& c = candidates_[at->second];
    if (!c.load_error.empty()) return 0;
    return replications > c.outcomes.size() ? replications - c.outcomes.size() : 0;
}

void CandidateEvaluator::simulate_mine(const scenario::Scenario& scenario, const Candidate& c, std::size_t first,
                                       std::vector<SharedRun>& runs) {
    std::optional<std::string> journal_error;
    const auto count = static_cast<std::ptrdiff_t>(runs.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_)
    for (std::ptrdiff_t i = 0; i < count; ++i) {
        const auto k = static_cast<std::size_t>(i);
        SharedRun& run = runs[k];
        const std::size_t replication = first + k;
        if (run.state != SharedRun::State::missing || !sharing_.simulates(replication)) continue;
        if (stop_signal()) {
            run.state = SharedRun::State::stopped;
            continue;
        }
        try {
            const run::RunRecord record = simulate_candidate(scenario, replication);
            run.outcome = read_outcome(problem_.spec(), record);
            run.state = SharedRun::State::done;
        } catch (const Interrupted&) {
            run.state = SharedRun::State::stopped;
        } catch (const std::exception& e) {
            run.state = SharedRun::State::failed;
            run.error = e.what();
            run.exception = std::current_exception();
        }
        if (!journal_ || !sharing_.records(replication) || run.state == SharedRun::State::stopped) continue;
#pragma omp critical(capsim_plan_journal)
        {
            try {
                // A failure is journalled too, so that shards waiting for this run learn of it.
                if (run.state == SharedRun::State::done) journal_->run({c.grid_index, replication}, run.outcome);
                else journal_->failure({c.grid_index, replication}, run.error);
            } catch (const std::exception& e) {
                journal_error = e.what();
            }
        }
    }
    if (journal_error) throw IoError(*journal_error);
}

const Candidate& CandidateEvaluator::evaluate(const std::vector<std::size_t>& choice, std::size_t replications) {
    Candidate& c = candidate(choice);
    if (!c.load_error.empty() || c.outcomes.size() >= replications) return c;
    // With peers, a stop is seen in the runs they share, so that every process stops at one place.
    if (sharing_.count() == 1) throw_if_stop_requested("the plan");
    std::optional<scenario::Scenario> scenario;
    try {
        scenario = problem_.load(choice); // the same on every process: none simulates what will not load
    } catch (const scenario::ScenarioError& e) {
        c.load_error = e.what();
        return c;
    }
    const std::size_t first = c.outcomes.size();
    std::vector<SharedRun> runs(replications - first);
    for (std::size_t k = 0; k < runs.size(); ++k) {
        if (auto kept = kept_.find({c.grid_index, first + k}); kept != kept_.end()) {
            runs[k].state = SharedRun::State::done;
            runs[k].outcome = kept->second;
            runs[k].kept = true;
        }
    }
    simulate_mine(*scenario, c, first, runs);
    sharing_.exchange(c.grid_index, first, runs);
    if (journal_) {
        for (std::size_t k = 0; k < runs.size(); ++k) {
            const std::size_t replication = first + k;
            if (runs[k].state == SharedRun::State::done && !runs[k].kept && !sharing_.simulates(replication) &&
                sharing_.records(replication)) {
                journal_->run({c.grid_index, replication}, runs[k].outcome);
            }
        }
    }
    // Keep the runs that finished, in order up to the first that did not (a stop, an error).
    std::size_t k = 0;
    for (; k < runs.size() && runs[k].state == SharedRun::State::done; ++k) {
        c.outcomes.push_back(std::move(runs[k].outcome));
        if (runs[k].kept) ++resumed_;
        else ++simulated_;
    }
    for (const SharedRun& run : runs) {
        if (run.state != SharedRun::State::failed) continue;
        if (run.exception) std::rethrow_exception(run.exception);
        throw Error(ExitCode::internal, run.error);
    }
    if (k < runs.size()) {
        const int signal = stop_signal();
        throw Interrupted(signal != 0 ? signal : 15, "the plan stopped");
    }
    return c;
}

} // namespace capsim::plan
