#pragma once
/// The output of one run as named variables along named axes: what a results file holds for it,
/// independent of how it is written (one run per file, or one of many runs of a study).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "capsim/run/scenario_run.hpp"
#include "capsim/scenario/scenario.hpp"

namespace capsim::run {

/// The axes a run's variables lie along. Every run of a study must have the same axes.
struct RunAxes {
    std::string time_units;            // CF: "hours since <scenario start>"
    std::vector<double> time_h;        // start of each output step
    std::vector<double> time_bounds_h; // start and end of each step, step-major
    std::vector<std::string> sites;
    std::vector<std::string> gpus;
    std::vector<std::string> tenants;        // empty without workloads
    std::vector<std::string> summary_groups; // "tenant:<name>", "class:<name>", "tenant:<t>/class:<c>", "all"
    std::vector<std::int64_t> years;          // calendar years of the horizon; empty without workloads

    /// The length of a named axis: "time", "site", "gpu", "tenant", "year" or "group".
    std::size_t length(const std::string& axis) const;
    bool operator==(const RunAxes&) const = default;
};

/// One output variable: its values row-major over `axes` (names of RunAxes axes).
struct RunVariable {
    std::string group; // "sites", "tenants", "summary", "summary_by_year" or "totals"
    std::string name;
    std::vector<std::string> axes;
    std::string units;
    std::string long_name;
    std::vector<double> values;
};

struct RunRecord {
    RunAxes axes;
    std::vector<RunVariable> variables; // the same variables in the same order for every run of a scenario
};

/// The groups of a record, in the order files list them.
inline const std::vector<std::string> run_groups = {"sites", "tenants", "summary", "summary_by_year", "totals"};

/// Turns a run's result into its output variables.
RunRecord make_run_record(const scenario::Scenario& scenario, const ScenarioResult& result);

/// What the cumulative series have summed so far, so that a run's rows can be turned into
/// variables a batch of steps at a time.
struct SeriesCarry {
    std::vector<double> energy_mwh, energy_cost, carbon_t, capex, depreciation; // per site
    std::vector<double> delivered_gpu_hours;                                    // per tenant
};

/// The time series of the steps a result's series hold (every step, or those since the rows were
/// last taken away), continuing cumulative sums from `carry`: their time coordinate and bounds and
/// the variables with axis "time" first, in the order make_run_record gives them.
struct SeriesRows {
    std::vector<double> time_h;
    std::vector<double> time_bounds_h;
    std::vector<RunVariable> variables;
    std::size_t steps() const { return time_h.size(); }
};
SeriesRows series_rows(const scenario::Scenario& scenario, const ScenarioResult& result, SeriesCarry& carry);

/// The variables without a time axis: totals per site, shares, the summary and the run's totals.
RunRecord final_variables(const scenario::Scenario& scenario, const ScenarioResult& result);

/// Empties the series rows of a result (after a writer has taken them).
void clear_series_rows(ScenarioResult& result);

/// The value of a `totals` variable (NaN if the record has none of that name).
double total(const RunRecord& record, const std::string& name);

} // namespace capsim::run
