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

/// A scenario file's text, and the directory its relative CSV paths resolve against.
struct ScenarioFile {
    std::string text;
    std::filesystem::path base_directory;
};
/// Reads a scenario file; IoError if it cannot be read.
ScenarioFile read_scenario_file(const std::string& path);

/// The same from text in memory; relative CSV paths resolve against `base_directory`.
Scenario parse_scenario(std::string_view text, const std::string& source,
                        const std::vector<std::string>& overrides = {},
                        const std::filesystem::path& base_directory = ".");

} // namespace capsim::scenario
