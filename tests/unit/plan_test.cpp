// The plan block's reader (decisions, monotone guesses, constraints, their checks) and what the
// planner reads from a run: group patterns, worst values over groups and years, the confidence rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "capsim/plan/candidate_evaluator.hpp"
#include "capsim/plan/plan_search.hpp"
#include "capsim/plan/replication_outcome.hpp"
#include "capsim/scenario/diagnostics.hpp"
#include "capsim/scenario/plan.hpp"

namespace capsim::plan {
namespace {

const std::string base_text = "name: plan test\n"
                              "start: 2026-01-01\n"
                              "end: 2026-01-31\n"
                              "seed: 7\n"
                              "sites:\n"
                              "  - {name: a, grid: 10MW, pue: 1.2, electricity: 100 USD/MWh, carbon: 400 g/kWh}\n"
                              "buildout:\n"
                              "  - {site: a, node: hgx-h100, count: 4, ordered: 2026-01-01}\n"
                              "tenants:\n"
                              "  - {name: research, share: 1}\n"
                              "workloads:\n"
                              "  - {name: j, tenant: research, class: research, arrivals: {rate: 10/day}, gpus: 1, "
                              "duration: 1h}\n";

scenario::PlanProblem plan(const std::string& block) { return scenario::parse_plan(base_text + block, "p.yaml"); }

TEST(PlanReader, ReadsDecisionsAndGuessesWhichAreMonotone) {
    const auto p = plan("plan:\n"
                        "  decide:\n"
                        "    - {key: \"buildout[0].count\", from: 2, to: 8, step: 2}\n"
                        "    - {key: \"buildout[0].ordered\", values: [2026-01-01, 2026-01-08]}\n"
                        "    - {key: \"sites[0].grid\", values: [5 MW, 10 MW]}\n"
                        "  constraints:\n"
                        "    - {metric: wait_p95, group: \"tenant:*\", at_most: 2h, per: year}\n"
                        "    - {metric: stranded_gpu_hours, at_most: 0}\n");
    const auto& s = p.spec();
    ASSERT_EQ(s.decisions.size(), 3u);
    EXPECT_EQ(s.decisions[0].texts, (std::vector<std::string>{"2", "4", "6", "8"}));
    EXPECT_TRUE(s.decisions[0].monotone);
    EXPECT_FALSE(s.decisions[1].monotone); // dates are enumerated
    EXPECT_TRUE(s.decisions[2].monotone);
    EXPECT_DOUBLE_EQ(s.decisions[2].numbers[1], 10e6);
    EXPECT_EQ(s.grid_size(), 16);
    ASSERT_EQ(s.constraints.size(), 2u);
    EXPECT_EQ(s.constraints[0].variable, "wait_p95_s");
    EXPECT_DOUBLE_EQ(s.constraints[0].bound, 7200);
    EXPECT_TRUE(s.constraints[0].per_year);
    EXPECT_TRUE(s.constraints[0].helped_by_capacity);
    EXPECT_FALSE(s.constraints[1].helped_by_capacity); // more nodes can strand more
    EXPECT_EQ(p.settings({1, 0, 1}),
              (std::vector<std::string>{"buildout[0].count=4", "buildout[0].ordered=2026-01-01", "sites[0].grid=10 MW"}));
    EXPECT_EQ(p.load({3, 1, 0}).buildout[0].count, 8);
}

TEST(PlanReader, LocatesMistakes) {
    const auto problem = [](const std::string& block) {
        try {
            plan(block);
        } catch (const scenario::ScenarioError& e) {
            return e.diagnostics().items().front();
        }
        ADD_FAILURE() << "the plan loaded";
        return scenario::Diagnostic{};
    };
    const std::string decide = "plan:\n  decide:\n    - {key: \"buildout[0].count\", values: [1, 2]}\n";
    auto d = problem(decide + "  constraints:\n    - {metric: wait_p95, group: \"class:reserch\", at_most: 1h}\n");
    EXPECT_EQ(d.line, 17);
    EXPECT_NE(d.message.find("did you mean 'class:research'"), std::string::npos) << d.message;
    d = problem(decide + "  constraints:\n    - {metric: stranded_gpu_hours, at_most: 0, per: year}\n");
    EXPECT_NE(d.message.find("no yearly values"), std::string::npos) << d.message;
    d = problem(decide + "  constraints:\n    - {metric: wait_p95, at_most: 1h, at_least: 1s}\n");
    EXPECT_NE(d.message.find("both at_most and at_least"), std::string::npos) << d.message;
    d = problem(decide + "  confidence: 1.5\n  constraints:\n    - {metric: wait_p95, at_most: 1h}\n");
    EXPECT_EQ(d.key_path, "plan.confidence");
    d = problem("plan:\n  decide:\n    - {key: \"buildout[0].count\"}\n  constraints:\n"
                "    - {metric: wait_p95, at_most: 1h}\n");
    EXPECT_NE(d.message.find("gives no values"), std::string::npos) << d.message;
}

TEST(GroupPattern, MatchesTenantsClassesAndPairs) {
    EXPECT_TRUE(group_matches("all", "all"));
    EXPECT_TRUE(group_matches("tenant:*", "tenant:a"));
    EXPECT_FALSE(group_matches("tenant:*", "tenant:a/class:research"));
    EXPECT_FALSE(group_matches("tenant:*", "class:research"));
    EXPECT_TRUE(group_matches("tenant:*/class:training", "tenant:a/class:training"));
    EXPECT_FALSE(group_matches("tenant:*/class:training", "tenant:a/class:research"));
    EXPECT_TRUE(group_matches("tenant:a", "tenant:a"));
    EXPECT_FALSE(group_matches("tenant:a", "tenant:ab"));
}

/// A record with the summary columns the planner reads, for two groups and two years.
run::RunRecord record_with(const std::vector<double>& p95_by_year, const std::vector<double>& too_large_by_year) {
    run::RunRecord r;
    r.axes.summary_groups = {"tenant:a", "all"};
    r.axes.years = {2026, 2027};
    const auto add = [&](const char* group, const char* name, std::vector<std::string> axes, std::vector<double> v) {
        r.variables.push_back({group, name, std::move(axes), "", "", std::move(v)});
    };
    add("summary_by_year", "wait_p95_s", {"year", "group"}, p95_by_year);
    add("summary_by_year", "rejected_too_large", {"year", "group"}, too_large_by_year);
    add("summary_by_year", "rejected_no_matching_gpus", {"year", "group"}, {0, 0, 0, 0});
    add("totals", "total_cost", {}, {123});
    return r;
}

TEST(ReplicationOutcome, TakesTheWorstYearAndCountsTurnedAwayJobsAsWaitingForever) {
    const auto p = plan("plan:\n  decide:\n    - {key: \"buildout[0].count\", values: [1, 2]}\n  constraints:\n"
                        "    - {metric: wait_p95, group: \"tenant:*\", at_most: 1h, per: year}\n");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto o = read_outcome(p.spec(), record_with({600, 0, 4000, 5000}, {0, 0, 0, 0}));
    EXPECT_EQ(o.cost, 123);
    EXPECT_EQ(o.worst[0], 4000); // tenant:a in 2027; "all" is not a tenant
    EXPECT_FALSE(o.all_hold());
    o = read_outcome(p.spec(), record_with({600, 0, nan, 0}, {0, 0, 0, 0}));
    EXPECT_EQ(o.worst[0], 600); // a year without jobs has no wait
    EXPECT_TRUE(o.all_hold());
    o = read_outcome(p.spec(), record_with({nan, 0, nan, 0}, {3, 3, 0, 0}));
    EXPECT_TRUE(std::isinf(o.worst[0]));
    EXPECT_FALSE(o.all_hold());
}

/// A summary variable of a record, for the group "all".
double summary_of_all(const run::RunRecord& record, const std::string& name) {
    const auto& groups = record.axes.summary_groups;
    const auto all = static_cast<std::size_t>(std::find(groups.begin(), groups.end(), "all") - groups.begin());
    for (const auto& v : record.variables) {
        if (v.group == "summary" && v.name == name) return v.values.at(all);
    }
    ADD_FAILURE() << "no summary variable " << name;
    return 0;
}

// Common random numbers: replication r of every candidate draws the same jobs, so that candidates
// differ by their decisions only; replications differ from each other.
TEST(CandidateRuns, EveryCandidateDrawsTheSameJobsInAReplication) {
    const auto p = plan("plan:\n"
                        "  decide:\n"
                        "    - {key: \"buildout[0].count\", from: 1, to: 8, step: 1}\n"
                        "  constraints:\n"
                        "    - {metric: wait_mean, group: all, at_most: 1h}\n");
    const scenario::Scenario few = p.load({0}), many = p.load({7});
    std::vector<double> submitted;
    for (std::size_t r = 0; r < 3; ++r) {
        const run::RunRecord a = simulate_candidate(few, r), b = simulate_candidate(many, r);
        EXPECT_EQ(summary_of_all(a, "submitted"), summary_of_all(b, "submitted")) << "replication " << r;
        EXPECT_EQ(summary_of_all(a, "demand_gpu_hours"), summary_of_all(b, "demand_gpu_hours")) << "replication " << r;
        EXPECT_LT(run::total(a, "total_energy_mwh"), run::total(b, "total_energy_mwh")); // 1 node against 8
        submitted.push_back(summary_of_all(a, "submitted"));
    }
    EXPECT_FALSE(submitted[0] == submitted[1] && submitted[1] == submitted[2]) << "replications draw alike";
}

TEST(Confidence, NeedsTheCeilingOfItsShareOfReplications) {
    scenario::PlanSpec s;
    s.replications = 16;
    s.confidence = 0.9;
    EXPECT_EQ(required_successes(s), 15u);
    s.confidence = 0.5;
    EXPECT_EQ(required_successes(s), 8u);
    s.confidence = 1;
    EXPECT_EQ(required_successes(s), 16u);
    EXPECT_EQ(screening_replications(16), 4u);
    EXPECT_EQ(screening_replications(1), 1u);
    EXPECT_EQ(screening_replications(6), 2u);
}

} // namespace
} // namespace capsim::plan
