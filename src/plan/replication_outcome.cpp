#include "capsim/plan/replication_outcome.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "capsim/util/error.hpp"

namespace capsim::plan {
namespace {

constexpr double hours_per_year = 365.25 * 24;

const run::RunVariable& variable(const run::RunRecord& record, const std::string& group, const std::string& name) {
    for (const run::RunVariable& v : record.variables) {
        if (v.group == group && v.name == name) return v;
    }
    throw InternalError("plan: the run has no variable " + group + "/" + name);
}

/// Capex and electricity per step, each discounted from the start of its step.
double discounted_cost(const scenario::PlanSpec& spec, const run::RunRecord& record) {
    if (spec.discount_rate_per_year == 0) return run::total(record, "total_cost");
    const run::RunVariable& capex = variable(record, "sites", "capex");
    const run::RunVariable& energy = variable(record, "sites", "energy_cost");
    const std::size_t sites = record.axes.sites.size();
    double cost = 0;
    for (std::size_t step = 0; step < record.axes.time_h.size(); ++step) {
        const double factor = std::pow(1 + spec.discount_rate_per_year, -record.axes.time_h[step] / hours_per_year);
        for (std::size_t s = 0; s < sites; ++s) {
            cost += factor * (capex.values[step * sites + s] + energy.values[step * sites + s]);
        }
    }
    return cost;
}

bool part_matches(std::string_view pattern, std::string_view name) {
    const std::size_t colon = pattern.find(':');
    if (colon == std::string_view::npos) return pattern == name;
    return pattern.substr(colon + 1) == "*" ? name.substr(0, colon + 1) == pattern.substr(0, colon + 1) &&
                                                  name.find('/') == std::string_view::npos
                                            : pattern == name;
}

} // namespace

bool ReplicationOutcome::all_hold() const {
    return std::all_of(holds.begin(), holds.end(), [](char h) { return h != 0; });
}

bool group_matches(const std::string& pattern, const std::string& group) {
    const std::size_t p = pattern.find('/'), g = group.find('/');
    if ((p == std::string::npos) != (g == std::string::npos)) return false;
    if (p == std::string::npos) return part_matches(pattern, group);
    const std::string_view ps(pattern), gs(group);
    return part_matches(ps.substr(0, p), gs.substr(0, g)) && part_matches(ps.substr(p + 1), gs.substr(g + 1));
}

ReplicationOutcome read_outcome(const scenario::PlanSpec& spec, const run::RunRecord& record) {
    ReplicationOutcome out;
    out.cost = discounted_cost(spec, record);
    for (const scenario::PlanConstraint& c : spec.constraints) {
        double worst = std::numeric_limits<double>::quiet_NaN();
        const auto consider = [&](double value) {
            if (std::isnan(value)) return;
            if (std::isnan(worst) || (c.at_most ? value > worst : value < worst)) worst = value;
        };
        if (c.source == scenario::PlanMetricSource::totals) {
            consider(run::total(record, c.variable));
        } else {
            const auto& groups = record.axes.summary_groups;
            const char* period_group = c.per_year ? "summary_by_year" : "summary";
            const run::RunVariable& v = variable(record, period_group, c.variable);
            const run::RunVariable& too_large = variable(record, period_group, "rejected_too_large");
            const run::RunVariable& no_gpus = variable(record, period_group, "rejected_no_matching_gpus");
            // A job the candidate's build-out turns away (no pool of it can ever hold the job) is not
            // served at all: for the waits it counts as waiting forever, or a build-out of nothing
            // would meet every wait. Rejections by the scheduler's rules (max_walltime) do not count.
            const bool is_wait = c.variable.rfind("wait_", 0) == 0;
            const std::size_t periods = c.per_year ? record.axes.years.size() : 1;
            for (std::size_t y = 0; y < periods; ++y) {
                for (std::size_t g = 0; g < groups.size(); ++g) {
                    if (!group_matches(c.group, groups[g])) continue;
                    const std::size_t at = y * groups.size() + g;
                    consider(is_wait && too_large.values[at] + no_gpus.values[at] > 0 ? std::numeric_limits<double>::infinity() : v.values[at]);
                }
            }
        }
        out.worst.push_back(worst);
        out.holds.push_back(std::isnan(worst) || (c.at_most ? worst <= c.bound : worst >= c.bound) ? 1 : 0);
    }
    return out;
}

} // namespace capsim::plan
