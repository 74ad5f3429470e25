#include "capsim/plan/plan_search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include "capsim/util/strings.hpp"

namespace capsim::plan {
namespace {

/// Thrown when the next evaluation would spend more runs than the plan's budget.
struct BudgetSpent {};
/// Thrown when the next evaluation would spend more than a combination's share of the budget.
struct ShareSpent {};

class Search {
public:
    Search(const scenario::PlanProblem& problem, const PlanOptions& options, RunSharing& sharing)
        : problem_(problem), spec_(problem.spec()), options_(options), sharing_(sharing),
          evaluator_(problem, options.threads, options.journal, options.earlier, sharing),
          screen_(screening_replications(spec_.replications)), required_(required_successes(spec_)) {
        for (std::size_t d = 0; d < spec_.decisions.size(); ++d) {
            (spec_.decisions[d].monotone ? monotone_ : enumerated_).push_back(d);
        }
        for (const auto& c : spec_.constraints) service_.push_back(c.helped_by_capacity ? 1 : 0);
    }

    void exhaustive() {
        const auto size = static_cast<std::size_t>(spec_.grid_size());
        for (std::size_t g = 0; g < size; ++g) {
            const auto choice = spec_.choice_of(g);
            ensure(choice, spec_.replications, false);
            note(choice);
        }
    }

    void search() {
        // Every combination of the enumerated decisions, with the monotone ones bisected. Each
        // gets an equal share of the budget left, so that one whose points are costly to rule out
        // (an order date at which every build-out strands, say) cannot spend what the others
        // need; those it cuts short go on, from the runs they have, with what remains.
        std::vector<std::vector<std::size_t>> combinations;
        std::vector<std::size_t> at(enumerated_.size(), 0);
        do {
            combinations.push_back(at);
        } while (next(at));
        std::vector<std::size_t> cut_short;
        for (std::size_t i = 0; i < combinations.size(); ++i) {
            const std::size_t left = spec_.budget - std::min(spec_.budget, evaluator_.runs_used());
            share_limit_ = evaluator_.runs_used() + left / (combinations.size() - i);
            try {
                explore(combinations[i]);
            } catch (const ShareSpent&) {
                cut_short.push_back(i);
            }
        }
        share_limit_.reset();
        for (std::size_t i : cut_short) explore(combinations[i]);
        refine();
    }

    PlanResult result(double wall_s) {
        PlanResult r;
        r.candidates = evaluator_.candidates();
        for (const Candidate& c : r.candidates) r.verdicts.push_back(verdict(c));
        std::vector<std::size_t> feasible_ones;
        for (std::size_t i = 0; i < r.candidates.size(); ++i) {
            if (r.verdicts[i] == Verdict::feasible) feasible_ones.push_back(i);
        }
        std::sort(feasible_ones.begin(), feasible_ones.end(), [&](std::size_t a, std::size_t b) {
            return cheaper(r.candidates[a], r.candidates[b]);
        });
        if (!feasible_ones.empty()) r.chosen = feasible_ones[0];
        if (feasible_ones.size() > 1) r.runner_up = feasible_ones[1];
        if (!r.chosen) {
            for (std::size_t i = 0; i < r.candidates.size(); ++i) {
                const Candidate& c = r.candidates[i];
                if (c.outcomes.empty()) continue;
                if (!r.closest) {
                    r.closest = i;
                    continue;
                }
                const Candidate& best = r.candidates[*r.closest];
                if (c.attainment() > best.attainment() ||
                    (c.attainment() == best.attainment() && cheaper(c, best))) {
                    r.closest = i;
                }
            }
        }
        // The frontier of cost against attainment, among candidates run on every replication.
        r.on_frontier.assign(r.candidates.size(), 0);
        const auto complete = [&](const Candidate& c) { return c.outcomes.size() == spec_.replications; };
        for (std::size_t i = 0; i < r.candidates.size(); ++i) {
            const Candidate& c = r.candidates[i];
            if (!complete(c)) continue;
            bool dominated = false;
            for (const Candidate& o : r.candidates) {
                if (&o == &c || !complete(o)) continue;
                const bool no_worse = o.cost_mean() <= c.cost_mean() && o.attainment() >= c.attainment();
                const bool better = o.cost_mean() < c.cost_mean() || o.attainment() > c.attainment();
                if (no_worse && better) {
                    dominated = true;
                    break;
                }
            }
            r.on_frontier[i] = dominated ? 0 : 1;
        }
        r.runs_simulated = evaluator_.runs_simulated();
        r.runs_resumed = evaluator_.runs_resumed();
        r.budget_spent = budget_spent_;
        r.wall_s = wall_s;
        r.threads = evaluator_.threads();
        r.processes = sharing_.count();
        return r;
    }

    void mark_budget_spent() { budget_spent_ = true; }

private:
    bool next(std::vector<std::size_t>& at) const {
        for (std::size_t k = at.size(); k-- > 0;) {
            if (++at[k] < spec_.decisions[enumerated_[k]].size()) return true;
            at[k] = 0;
        }
        return false;
    }

    /// The verdict on every constraint, or with `service_only` on those more capacity helps.
    Verdict verdict(const Candidate& c, bool service_only = false) const {
        if (!c.load_error.empty()) return Verdict::not_loadable;
        std::size_t successes = 0;
        for (const ReplicationOutcome& o : c.outcomes) {
            bool held = true;
            for (std::size_t k = 0; k < o.holds.size(); ++k) {
                if (!o.holds[k] && (!service_only || service_[k])) held = false;
            }
            successes += held ? 1 : 0;
        }
        const std::size_t failures = c.outcomes.size() - successes;
        if (failures > spec_.replications - required_) return Verdict::infeasible;
        if (c.outcomes.size() < spec_.replications) return Verdict::unfinished;
        return successes >= required_ ? Verdict::feasible : Verdict::infeasible;
    }

    static bool cheaper(const Candidate& a, const Candidate& b) {
        if (a.cost_mean() != b.cost_mean()) return a.cost_mean() < b.cost_mean();
        return a.grid_index < b.grid_index;
    }

    /// One combination of the enumerated decisions (their value indices, in enumerated_ order).
    void explore(const std::vector<std::size_t>& at) {
        std::vector<std::size_t> top(spec_.decisions.size(), 0);
        for (std::size_t k = 0; k < enumerated_.size(); ++k) top[enumerated_[k]] = at[k];
        for (std::size_t d : monotone_) top[d] = spec_.decisions[d].size() - 1;
        if (!feasible(top)) return; // not even the most capacity serves: no cheaper point will
        // Descend from the most capacity, each monotone decision first in turn: with several,
        // the minimal points reached differ, and the cheapest of them is kept.
        for (std::size_t start = 0; start < std::max<std::size_t>(1, monotone_.size()); ++start) {
            std::vector<std::size_t> order;
            for (std::size_t k = 0; k < monotone_.size(); ++k) order.push_back(monotone_[(start + k) % monotone_.size()]);
            descend(top, order);
        }
    }

    const Candidate& ensure(const std::vector<std::size_t>& choice, std::size_t replications, bool budgeted) {
        const std::size_t needed = evaluator_.runs_needed(choice, replications);
        if (budgeted && evaluator_.runs_used() + needed > spec_.budget) throw BudgetSpent{};
        if (budgeted && share_limit_ && evaluator_.runs_used() + needed > *share_limit_) throw ShareSpent{};
        return evaluator_.evaluate(choice, replications);
    }

    /// Screens `choice` on a few replications, then runs the rest unless it has already failed too
    /// often. Keeps it as the best if it meets every constraint and is cheaper; returns whether it
    /// meets those that more capacity helps, which is what bisection may assume monotone.
    bool feasible(const std::vector<std::size_t>& choice) {
        const std::size_t before = evaluator_.runs_used();
        const Candidate* c = &ensure(choice, screen_, true);
        if (verdict(*c, true) == Verdict::unfinished) c = &ensure(choice, spec_.replications, true);
        if (verdict(*c) == Verdict::feasible && (!best_ || cheaper(*c, *best_candidate()))) best_ = c->grid_index;
        if (evaluator_.runs_used() != before) note(choice);
        return verdict(*c, true) == Verdict::feasible;
    }

    const Candidate* best_candidate() const {
        for (const Candidate& c : evaluator_.candidates()) {
            if (best_ && c.grid_index == *best_) return &c;
        }
        return nullptr;
    }

    /// Lowers each monotone decision in `order` to the least value that stays feasible (bisection),
    /// round after round until none moves. `x` must be feasible.
    std::vector<std::size_t> descend(std::vector<std::size_t> x, const std::vector<std::size_t>& order) {
        for (bool moved = true; moved;) {
            moved = false;
            for (std::size_t d : order) {
                std::size_t lo = 0, hi = x[d]; // hi is feasible
                while (lo < hi) {
                    std::vector<std::size_t> y = x;
                    y[d] = lo + (hi - lo) / 2;
                    if (feasible(y)) hi = y[d];
                    else lo = y[d] + 1;
                }
                if (hi < x[d]) {
                    x[d] = hi;
                    moved = true;
                }
            }
        }
        return x;
    }

    /// The chosen candidate's neighbours: one step less of one monotone decision (known
    /// infeasible after a descent, so free), one step less of one and more of another (a trade
    /// the descent cannot see), and the next value either way of each enumerated decision. A
    /// cheaper feasible neighbour is descended from and becomes the best; until none is.
    void refine() {
        while (best_) {
            const std::size_t start = *best_;
            const std::vector<std::size_t> x = best_candidate()->choice;
            std::vector<std::vector<std::size_t>> around;
            for (std::size_t d : monotone_) {
                if (x[d] == 0) continue;
                auto y = x;
                --y[d];
                around.push_back(y);
                for (std::size_t e : monotone_) {
                    if (e == d || x[e] + 1 >= spec_.decisions[e].size()) continue;
                    auto z = y;
                    ++z[e];
                    around.push_back(z);
                }
            }
            for (std::size_t d : enumerated_) {
                for (int step : {-1, 1}) {
                    if ((step < 0 && x[d] == 0) || (step > 0 && x[d] + 1 >= spec_.decisions[d].size())) continue;
                    auto y = x;
                    y[d] = step < 0 ? x[d] - 1 : x[d] + 1;
                    around.push_back(y);
                }
            }
            for (const auto& y : around) {
                if (feasible(y)) descend(y, monotone_);
            }
            if (*best_ == start) return;
        }
    }

    void note(const std::vector<std::size_t>& choice) {
        if (options_.quiet) return;
        const Candidate* best = best_candidate();
        std::string line = "plan: " + std::to_string(evaluator_.runs_used()) + " runs, " +
                           std::to_string(evaluator_.candidates().size()) + " candidates; last " +
                           join(problem_.settings(choice), " ");
        line += best ? "; best feasible cost " + format_number(std::round(best->cost_mean())) + " " +
                           problem_.base().currency.code
                     : "; no feasible candidate yet";
        std::fprintf(stderr, "%s\n", line.c_str());
    }

    const scenario::PlanProblem& problem_;
    const scenario::PlanSpec& spec_;
    const PlanOptions& options_;
    RunSharing& sharing_;
    CandidateEvaluator evaluator_;
    std::size_t screen_;
    std::size_t required_;
    std::vector<std::size_t> monotone_, enumerated_;
    std::vector<char> service_; // per constraint: more capacity can only help it hold
    std::optional<std::size_t> best_; // grid index of the cheapest feasible candidate so far
    std::optional<std::size_t> share_limit_; // runs used at which this combination's share ends
    bool budget_spent_ = false;
};

} // namespace

const char* to_string(Verdict verdict) {
    switch (verdict) {
    case Verdict::feasible: return "feasible";
    case Verdict::infeasible: return "infeasible";
    case Verdict::not_loadable: return "not_loadable";
    case Verdict::unfinished: return "unfinished";
    }
    return "unfinished";
}

std::size_t screening_replications(std::size_t replications) {
    return std::min(replications, std::max<std::size_t>(2, (replications + 3) / 4));
}

std::size_t required_successes(const scenario::PlanSpec& spec) {
    const double need = std::ceil(spec.confidence * static_cast<double>(spec.replications) - 1e-9);
    return std::min(spec.replications, static_cast<std::size_t>(std::max(1.0, need)));
}

PlanResult search_plan(const scenario::PlanProblem& problem, const PlanOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    const std::unique_ptr<RunSharing> on_its_own = options.sharing ? nullptr : alone();
    RunSharing& sharing = options.sharing ? *options.sharing : *on_its_own;
    Search search(problem, options, sharing);
    try {
        if (options.exhaustive) search.exhaustive();
        else search.search();
    } catch (const BudgetSpent&) {
        search.mark_budget_spent();
    }
    sharing.finish();
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return search.result(wall_s);
}

} // namespace capsim::plan
