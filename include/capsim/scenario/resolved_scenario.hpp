#pragma once
#include <string>

#include "capsim/scenario/scenario.hpp"

namespace capsim::scenario {

/// The scenario as capsim will simulate it, as YAML: every default filled in, --set overrides
/// applied, names resolved, values in base units (seconds, watts, currency per MWh, g/kWh) with the
/// unit in the key. Written into every results file, so a file says exactly what produced it.
std::string resolved_yaml(const Scenario& scenario);

} // namespace capsim::scenario
