#pragma once
/// A study: one scenario file run over the points of its `sweep:` block, each point
/// `replications` times. Point p's scenario is the file with the --set overrides applied first and
/// then the sweep's values for p; docs/scenario.md describes the `sweep:` block.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "capsim/scenario/scenario.hpp"

namespace capsim::scenario {

/// The resolved value of one swept key at every point: a number in the base unit of its quantity
/// (40MW -> 4e7 with units "W") when every point's value is one, else the text as written.
struct SweepCoordinate {
    std::string key;                // key path as written in the sweep block: "sites[1].grid"
    bool numeric = false;
    std::string units;              // "W", "s", "1", "USD", "USD/MWh", "g/kWh"; empty for text
    std::vector<double> numbers;    // per point, when numeric
    std::vector<std::string> texts; // per point, the value as written (always filled)
};

struct Study {
    /// One loaded scenario per point, exactly one without a sweep: the Cartesian product of the
    /// sweep's axes in the order the block writes them, the last axis varying fastest.
    std::vector<Scenario> points;
    std::uint64_t replications = 1;
    /// `common_random_numbers:` (default true): replication r of every point draws the same random
    /// streams, so points differ only by what was swept; false gives each point streams of its own.
    bool common_random_numbers = true;
    std::vector<SweepCoordinate> coordinates; // one per swept key, in the order the block names them
    /// Per point, the `key=value` settings the sweep applied after --set (empty without a sweep).
    std::vector<std::vector<std::string>> point_settings;

    bool has_sweep() const { return !coordinates.empty(); }
    /// The point that names a run's random streams (docs/scenario.md, Replications and sweeps).
    std::uint64_t stream_point(std::size_t point) const { return common_random_numbers ? 0 : point; }
    std::size_t work_items() const { return points.size() * static_cast<std::size_t>(replications); }
    const Scenario& base() const { return points.front(); }
};

/// Reads a scenario file with its `replications:` and `sweep:` keys, applies the --set `overrides`
/// and loads every sweep point. Problems are thrown at once as a ScenarioError (each located by
/// file, line and column; a problem in one point names the point's swept values).
Study load_study(const std::string& path, const std::vector<std::string>& overrides = {});

/// The same from text in memory.
Study parse_study(std::string_view text, const std::string& source, const std::vector<std::string>& overrides = {},
                  const std::filesystem::path& base_directory = ".");

} // namespace capsim::scenario
