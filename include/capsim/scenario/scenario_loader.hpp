#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "capsim/scenario/scenario.hpp"

namespace capsim::scenario {

/// Reads, overrides and validates a scenario file. Every problem found is collected and thrown at
/// once as a ScenarioError (each located by file, line and column, or by its --set override); a
/// missing file is an IoError. `overrides` are `key.path=value` strings (`sites[1].grid=40MW`),
/// applied to the YAML tree before validation, so they get the same checks as the file.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

/// The same from text in memory; relative CSV paths resolve against `base_directory`.
Scenario parse_scenario(std::string_view text, const std::string& source,
                        const std::vector<std::string>& overrides = {},
                        const std::filesystem::path& base_directory = ".");

} // namespace capsim::scenario
