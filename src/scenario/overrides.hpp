#pragma once
// --set key.path=value: applied to the YAML tree before validation. Private to the loader.
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "yaml_reader.hpp"

namespace capsim::scenario::detail {

/// Applies each `key.path=value` to `root`. The value is read as YAML (so `40MW`, `[1, 2]` and
/// `{day: 1, night: 2}` all work). Malformed overrides are reported to `diagnostics`; the returned
/// origins let later diagnostics point at the override instead of a file line.
std::vector<OverrideOrigin> apply_overrides(YAML::Node& root, const std::vector<std::string>& overrides,
                                            Diagnostics& diagnostics);

} // namespace capsim::scenario::detail
