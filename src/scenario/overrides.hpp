#pragma once
// --set key.path=value: applied to the YAML tree before validation. Private to the loader.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "yaml_reader.hpp"

namespace capsim::scenario::detail {

/// One step of a key path: a mapping key or a list index.
using KeySegment = std::variant<std::string, std::size_t>;

/// Splits "sites[1].grid" into {"sites", 1, "grid"}; nullopt if malformed. Under `sweep` the rest of
/// the path is one key, since the sweep block's keys are themselves key paths:
/// "sweep.sites[1].grid" is {"sweep", "sites[1].grid"} and "sweep.zip.seed" is {"sweep", "zip", "seed"}.
std::optional<std::vector<KeySegment>> split_key_path(std::string_view path);

/// The first `count` segments written back as a key path: "sites[1].grid".
std::string key_path_text(const std::vector<KeySegment>& segments, std::size_t count);

/// Applies each `key.path=value` to `root`. The value is read as YAML (so `40MW`, `[1, 2]` and
/// `{day: 1, night: 2}` all work). Malformed overrides are reported to `diagnostics`; the returned
/// origins let later diagnostics point at the override instead of a file line.
std::vector<OverrideOrigin> apply_overrides(YAML::Node& root, const std::vector<std::string>& overrides,
                                            Diagnostics& diagnostics);

} // namespace capsim::scenario::detail
