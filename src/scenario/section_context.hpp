#pragma once
// What the readers of a scenario's sections share while one scenario is read: where problems go,
// the Scenario being filled, where its files lie, and what an earlier section leaves for a later
// one. Private to the loader.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "capsim/scenario/scenario.hpp"
#include "yaml_reader.hpp"

namespace capsim::scenario::detail {

struct SectionContext {
    SectionContext(YamlReader& yaml_reader, Scenario& scenario_to_fill, std::filesystem::path directory)
        : reader(yaml_reader), scenario(scenario_to_fill), base_directory(std::move(directory)) {}

    YamlReader& reader;
    Scenario& scenario;
    std::filesystem::path base_directory; // relative file names (CSV profiles, traces) resolve here
    /// Start and end were read and the end is after the start, so dates can be checked against them.
    bool horizon_ok = false;
    /// Node types the scenario defines under catalog.nodes, valid or not: an order naming one whose
    /// definition was reported is not reported again.
    std::vector<std::string> declared_nodes;

    /// A quantity of `dimension`, prices in the scenario's currency; reported and nullopt when wrong.
    std::optional<double> quantity(const YAML::Node& node, const std::string& path, Dimension dimension);
    /// The same, reported unless >= 0.
    std::optional<double> non_negative(const YAML::Node& node, const std::string& path, Dimension dimension);
    /// The same, reported unless > 0.
    std::optional<double> positive(const YAML::Node& node, const std::string& path, Dimension dimension);

    /// Where the name `node` gives is in `names`; reported ("no WHAT named ...") when it is not there.
    std::optional<std::size_t> name_index(const YAML::Node& node, const std::string& path,
                                          const std::vector<std::string>& names, const char* what);

    /// A file the scenario names, relative to the scenario's directory.
    std::string file_path(const std::string& name) const;
};

/// The instant a period given by `end` ends, `instant` being the date read from it: a plain date
/// (2026-03-31) is the period's last day, so it ends at the end of that day; a date with a time of
/// day ends at that instant.
double end_of_period(const YAML::Node& end, double instant);

} // namespace capsim::scenario::detail
