#include "capsim/plan/candidate_evaluator.hpp"

#include <omp.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "capsim/run/study_work.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/fingerprint.hpp"
#include "capsim/util/stop_request.hpp"

namespace capsim::plan {
namespace {

constexpr const char* journal_magic = "capsim-plan-journal-1";

/// Doubles in C's hexadecimal form, which reads back to the same bits.
std::string exact(double x) {
    if (std::isnan(x)) return "nan";
    char text[64];
    std::snprintf(text, sizeof text, "%a", x);
    return text;
}

double read_exact(const std::string& text) {
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    return std::strtod(text.c_str(), nullptr);
}

} // namespace

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

std::string plan_fingerprint(const scenario::PlanProblem& problem) {
    Fingerprint f;
    f.feed(problem.base().resolved_text); // the plan block is part of the text
    return f.hex();
}

CandidateEvaluator::CandidateEvaluator(const scenario::PlanProblem& problem, int threads, std::string journal,
                                       bool resume)
    : problem_(problem), threads_(threads > 0 ? threads : omp_get_max_threads()), journal_path_(std::move(journal)),
      fingerprint_(plan_fingerprint(problem)) {
    if (journal_path_.empty()) return; // nothing kept: the plan cannot be resumed
    std::error_code error;
    const bool earlier = std::filesystem::exists(journal_path_, error);
    if (earlier && !resume) {
        throw Error(ExitCode::usage, "'" + journal_path_ + "' keeps the runs of an earlier, interrupted plan; add "
                                     "--resume to continue it or --force to start again");
    }
    if (earlier) read_journal();
    journal_ = std::fopen(journal_path_.c_str(), earlier ? "a" : "w");
    if (!journal_) throw IoError("cannot write '" + journal_path_ + "': " + std::strerror(errno));
    if (!earlier) {
        std::fprintf(journal_, "%s %s\n", journal_magic, fingerprint_.c_str());
        std::fflush(journal_);
    }
}

CandidateEvaluator::~CandidateEvaluator() {
    if (journal_) std::fclose(journal_);
}

void CandidateEvaluator::read_journal() {
    std::ifstream in(journal_path_);
    std::string magic, fingerprint;
    in >> magic >> fingerprint;
    if (magic != journal_magic) throw IoError("'" + journal_path_ + "' is not a capsim plan journal");
    if (fingerprint != fingerprint_) {
        throw Error(ExitCode::usage, "'" + journal_path_ + "' keeps the runs of another plan (the scenario, its "
                                     "plan block or --set differ); use --force to start again");
    }
    const std::size_t constraints = problem_.spec().constraints.size();
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::size_t grid = 0, replication = 0;
        std::string cost;
        if (!(fields >> grid >> replication >> cost)) continue; // a line cut short by a kill
        ReplicationOutcome o;
        o.cost = read_exact(cost);
        bool complete = true;
        for (std::size_t c = 0; c < constraints && complete; ++c) {
            std::string worst;
            int holds = 0;
            complete = static_cast<bool>(fields >> worst >> holds);
            o.worst.push_back(read_exact(worst));
            o.holds.push_back(holds ? 1 : 0);
        }
        std::string end;
        if (!complete || !(fields >> end) || end != ".") continue;
        kept_[{grid, replication}] = std::move(o);
    }
}

void CandidateEvaluator::append(std::size_t grid, std::size_t replication, const ReplicationOutcome& o) {
    if (!journal_) return;
    std::string line = std::to_string(grid) + " " + std::to_string(replication) + " " + exact(o.cost);
    for (std::size_t c = 0; c < o.worst.size(); ++c) line += " " + exact(o.worst[c]) + " " + (o.holds[c] ? "1" : "0");
    line += " .\n";
    if (std::fputs(line.c_str(), journal_) < 0 || std::fflush(journal_) != 0) {
        throw IoError("cannot write '" + journal_path_ + "': " + std::strerror(errno));
    }
}

std::size_t CandidateEvaluator::grid_index(const std::vector<std::size_t>& choice) const {
    std::size_t index = 0;
    const auto& decisions = problem_.spec().decisions;
    for (std::size_t d = 0; d < decisions.size(); ++d) index = index * decisions[d].size() + choice.at(d);
    return index;
}

Candidate& CandidateEvaluator::candidate(const std::vector<std::size_t>& choice) {
    const std::size_t grid = grid_index(choice);
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
    const auto at = by_grid_.find(grid_index(choice));
    if (at == by_grid_.end()) return replications;
    const Candidate& c = candidates_[at->second];
    if (!c.load_error.empty()) return 0;
    return replications > c.outcomes.size() ? replications - c.outcomes.size() : 0;
}

const Candidate& CandidateEvaluator::evaluate(const std::vector<std::size_t>& choice, std::size_t replications) {
    Candidate& c = candidate(choice);
    if (!c.load_error.empty() || c.outcomes.size() >= replications) return c;
    throw_if_stop_requested("the plan");
    std::optional<scenario::Scenario> scenario;
    try {
        scenario = problem_.load(choice);
    } catch (const scenario::ScenarioError& e) {
        c.load_error = e.what();
        return c;
    }
    const std::size_t first = c.outcomes.size();
    std::vector<ReplicationOutcome> found(replications - first);
    std::vector<char> from_journal(found.size(), 0), finished(found.size(), 0);
    for (std::size_t r = first; r < replications; ++r) {
        if (auto kept = kept_.find({c.grid_index, r}); kept != kept_.end()) {
            found[r - first] = kept->second;
            from_journal[r - first] = finished[r - first] = 1;
        }
    }
    std::vector<std::exception_ptr> errors(found.size());
    std::optional<std::string> journal_error;
    const auto count = static_cast<std::ptrdiff_t>(found.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_)
    for (std::ptrdiff_t i = 0; i < count; ++i) {
        const auto k = static_cast<std::size_t>(i);
        if (finished[k] || stop_signal()) continue;
        try {
            // Stream point 0 for every candidate: replication r draws the same jobs whatever is decided.
            const run::RunRecord record = run::simulate_record(*scenario, 0, first + k);
            found[k] = read_outcome(problem_.spec(), record);
#pragma omp critical(capsim_plan_journal)
            {
                try {
                    append(c.grid_index, first + k, found[k]);
                } catch (const std::exception& e) {
                    journal_error = e.what();
                }
            }
            finished[k] = 1;
        } catch (...) {
            errors[k] = std::current_exception();
        }
    }
    // Keep the runs that finished, in order up to the first that did not (a stop, an error).
    for (std::size_t k = 0; k < found.size() && finished[k]; ++k) {
        c.outcomes.push_back(std::move(found[k]));
        if (from_journal[k]) ++resumed_;
        else ++simulated_;
    }
    if (journal_error) throw IoError(*journal_error);
    for (const auto& e : errors) {
        if (e) std::rethrow_exception(e);
    }
    if (c.outcomes.size() < replications) throw_if_stop_requested("the plan");
    return c;
}

} // namespace capsim::plan
