#pragma once
#include <string>

#include "capsim/infra/infrastructure_result.hpp"
#include "capsim/scenario/scenario.hpp"

namespace capsim::io {

/// Writes a scenario run to an HDF5 file at `path` (created or truncated): the run's totals as root
/// attributes and group `sites` with the time series per site (and GPU type) along CF time.
/// Layout: docs/output.md.
void write_scenario_results(const std::string& path, const scenario::Scenario& scenario,
                            const infra::InfrastructureResult& result);

} // namespace capsim::io
