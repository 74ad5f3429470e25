#pragma once
#include <string>

#include "capsim/run/scenario_run.hpp"
#include "capsim/scenario/scenario.hpp"

namespace capsim::io {

/// Writes a scenario run to an HDF5 file at `path` (created or truncated): the run's totals as root
/// attributes, group `sites` with the time series per site (and GPU type) along CF time and, with
/// workloads, groups `tenants` (time series per tenant), `jobs` (the job table) and `summary` (per
/// tenant and class). Layout: docs/output.md.
void write_scenario_results(const std::string& path, const scenario::Scenario& scenario,
                            const run::ScenarioResult& result);

} // namespace capsim::io
