#pragma once
/// A scenario's `plan:` block: the decisions the planner may take (scenario keys and the values each
/// may have), what it minimises, and the service levels every candidate must meet. `capsim plan`
/// searches the decisions' grid; docs/planning.md describes the block and the method.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capsim/scenario/scenario.hpp"

namespace capsim::scenario {

/// One decision: a scenario key and the values it may take, in the order the block writes them.
struct PlanDecision {
    std::string key;                   // as written: "buildout[2].count"
    std::vector<std::string> settings; // per value, the YAML text --set takes
    std::vector<std::string> texts;    // per value, as written or generated ("64", "2027-06-01", "40MW")
    bool numeric = false;              // every value is a quantity of one unit
    std::string units;                 // that unit ("1", "W", ...); empty for text
    std::vector<double> numbers;       // per value in base units, when numeric
    /// Whether a later value gives at least as much capacity as an earlier one, so that service can
    /// only improve along the list (counts and grid capacities, ascending). The search bisects such
    /// decisions and enumerates the others.
    bool monotone = false;
    std::size_t size() const { return texts.size(); }
};

/// How a constraint's metric is read from a run: a column of the per-group summary, or a total.
enum class PlanMetricSource { group_summary, totals };

/// One service level: a metric of one group (or of each group a pattern matches) at most or at
/// least a bound, over the horizon or in every calendar year.
struct PlanConstraint {
    std::string metric;     // as written: "wait_p95"
    std::string variable;   // the results variable: "wait_p95_s"
    PlanMetricSource source = PlanMetricSource::group_summary;
    std::string group;      // "tenant:*", "tenant:eu-health", "class:training", "all" (empty for totals)
    bool at_most = true;    // false: at_least
    double bound = 0;       // in the variable's units (seconds for waits)
    std::string bound_text; // as written: "12h"
    std::string units;      // the variable's units
    bool per_year = false;  // must hold in each calendar year of the horizon
    /// More capacity can only help it hold (a wait at most, PFLOP/s at least); the search bisects
    /// monotone decisions on these alone. The others (stranded GPU-hours, energy at most) may
    /// break as capacity grows and are checked on the candidates the bisection reaches.
    bool helped_by_capacity = false;
    /// The text a person reads: "wait_p95 of tenant:* at most 12h in every year".
    std::string describe() const;
};

struct PlanSpec {
    std::vector<PlanDecision> decisions;
    std::string minimize = "cost";
    double discount_rate_per_year = 0; // 0.05 for 5%/year; cash flows are discounted to the start
    std::vector<PlanConstraint> constraints;
    double confidence = 0.9;           // share of replications in which every constraint must hold
    std::size_t replications = 16;
    std::size_t budget = 400;          // most simulation runs the search may spend
    /// The number of candidates in the grid: the product of the decisions' value counts.
    double grid_size() const;
    /// A candidate's place in the grid (one value index per decision, the last fastest), and back.
    std::size_t grid_index(const std::vector<std::size_t>& choice) const;
    std::vector<std::size_t> choice_of(std::size_t grid_index) const;
};

/// A scenario file with a `plan:` block, loaded: the base scenario (the file as written, with --set)
/// and what loads the scenario of any candidate.
class PlanProblem {
public:
    PlanProblem(std::string text, std::string source, std::vector<std::string> overrides,
                std::filesystem::path base_directory, Scenario base, PlanSpec spec);

    const Scenario& base() const { return base_; }
    const PlanSpec& spec() const { return spec_; }
    const std::string& source() const { return source_; }
    const std::vector<std::string>& overrides() const { return overrides_; }
    /// The `key=value` settings that make candidate `choice` (one value index per decision).
    std::vector<std::string> settings(const std::vector<std::size_t>& choice) const;
    /// The scenario of candidate `choice`: the file, --set, then the decisions' settings.
    /// A candidate the loader refuses (say, an order past its site's grid) throws its ScenarioError.
    Scenario load(const std::vector<std::size_t>& choice) const;
    /// The scenario text of candidate `choice` with its decisions written in and the plan block
    /// removed: what --write-scenario saves and `capsim run` accepts.
    std::string candidate_text(const std::vector<std::size_t>& choice) const;

private:
    /// --set, then the decisions' settings for `choice`: what a candidate's scenario is loaded with.
    std::vector<std::string> overrides_and_settings(const std::vector<std::size_t>& choice) const;

    std::string text_;
    std::string source_;
    std::vector<std::string> overrides_;
    std::filesystem::path base_directory_;
    Scenario base_;
    PlanSpec spec_;
};

/// Reads a scenario file and its `plan:` block, with every problem located (file, line, column) and
/// thrown at once as a ScenarioError. A file without a plan block is an error that says so.
PlanProblem load_plan(const std::string& path, const std::vector<std::string>& overrides = {});
PlanProblem parse_plan(std::string_view text, const std::string& source, const std::vector<std::string>& overrides = {},
                       const std::filesystem::path& base_directory = ".");

/// The metrics a constraint may name, for messages and the docs.
std::vector<std::string> plan_metric_names();

} // namespace capsim::scenario
