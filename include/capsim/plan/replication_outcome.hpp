#pragma once
/// What the planner reads from one simulated run of a candidate: its cost and, per constraint,
/// the worst value over the groups and years the constraint covers.

#include <cstddef>
#include <vector>

#include "capsim/run/run_record.hpp"
#include "capsim/scenario/plan.hpp"

namespace capsim::plan {

struct ReplicationOutcome {
    double cost = 0;                   // capex and electricity, discounted to the start at the plan's rate
    std::vector<double> worst;         // per constraint: the largest value (at_most) or smallest (at_least)
    std::vector<char> holds;           // per constraint: 1 when it holds
    bool all_hold() const;
};

/// Reads `record` (a run of a candidate) against `spec`. A group or year without jobs has no wait
/// (NaN): it cannot break a constraint, and `worst` is NaN when no group or year had any.
ReplicationOutcome read_outcome(const scenario::PlanSpec& spec, const run::RunRecord& record);

/// Whether the group name `group` ("tenant:a/class:training") is one that `pattern` covers
/// ("tenant:*/class:training", "tenant:*", "all").
bool group_matches(const std::string& pattern, const std::string& group);

} // namespace capsim::plan
