#pragma once
/// The results file of `capsim plan`: every evaluated candidate along a `candidate` dimension (its
/// decisions as coordinates, cost, each constraint's value and attainment, verdict, frontier), the
/// constraints along `constraint`, and the chosen plan in the root attributes. docs/output.md
/// describes the layout.

#include <string>

#include "capsim/plan/plan_search.hpp"
#include "capsim/scenario/plan.hpp"

namespace capsim::plan {

struct PlanFileOptions {
    bool exhaustive = false;
    std::string fingerprint;
};

/// Writes the file at `path` (created, truncating): the caller makes it appear atomically.
void write_plan_file(const std::string& path, const scenario::PlanProblem& problem, const PlanResult& result,
                     const PlanFileOptions& options);

} // namespace capsim::plan
