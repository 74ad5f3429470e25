#pragma once
// The `sweep:` block's reader, which the planner's `plan.decide` list shares: a key path and its
// values (a list, or a range {from, to, step}), checked against the scenario tree and the loader.
// Private to the scenario module.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "capsim/scenario/scenario_loader.hpp"
#include "capsim/util/strings.hpp"
#include "overrides.hpp"
#include "yaml_reader.hpp"

namespace capsim::scenario::detail {


// Guards against a mistyped step or a grid too large to mean: every point is loaded up front.
inline constexpr double max_range_values = 10000;
inline constexpr double max_points = 100000;

/// One swept key and its value at each position along its axis.
struct SweptKey {
    std::string key;                   // as written in the block: "sites[1].grid"
    std::string normal;                // the same key path as the loader names it
    std::string path;                  // for diagnostics: "sweep.sites[1].grid", "sweep.zip.seed"
    std::vector<std::string> settings; // per value, the YAML text that --set would take
    std::vector<std::string> texts;    // per value, as its coordinate shows it
    std::vector<YAML::Mark> marks;     // per value, where the sweep block writes it
};

/// One axis of the grid: a key on its own, or keys zipped together (all of one length).
struct Axis {
    std::vector<SweptKey> keys;
    std::size_t size() const { return keys.front().texts.size(); }
};

/// The arguments of parse_study, which every point's load repeats with its own settings added.
struct StudyInput {
    std::string_view text;
    const std::string& source;
    const std::vector<std::string>& overrides;
    const std::filesystem::path& base_directory;

    Scenario load(const std::vector<std::string>& settings) const {
        std::vector<std::string> all = overrides;
        all.insert(all.end(), settings.begin(), settings.end());
        return parse_scenario(text, source, all, base_directory);
    }
};

/// Whether `path` is `prefix` or lies inside it ("sites[1].grid" is within "sites[1]" and "sites").
inline bool within(const std::string& path, const std::string& prefix) {
    if (path.compare(0, prefix.size(), prefix) != 0) return false;
    return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}

/// A value as one line of YAML, so that `key=value` reads back as the same value.
inline std::string one_line_yaml(const YAML::Node& node) {
    YAML::Node copy = YAML::Clone(node);
    copy.SetStyle(YAML::EmitterStyle::Flow);
    YAML::Emitter out;
    out << copy;
    return out.c_str();
}

struct NumberWithUnit {
    double value = 0;
    std::string unit; // as written, possibly empty
};

/// "20MW" -> {20, "MW"}, "20 MW" too, "0.5" -> {0.5, ""}: the longest leading number, then the rest.
inline std::optional<NumberWithUnit> number_with_unit(std::string_view text) {
    text = trim(text);
    for (std::size_t n = text.size(); n > 0; --n) {
        if (auto value = parse_finite_double(text.substr(0, n))) {
            return NumberWithUnit{*value, std::string(trim(text.substr(n)))};
        }
    }
    return std::nullopt;
}

/// `text` in the base unit of the one quantity it can be, with that unit's name; a bare number is "1".
inline std::optional<std::pair<double, std::string>> base_quantity(const std::string& text, const Currency& currency) {
    if (auto x = parse_finite_double(trim(text))) return std::pair{*x, std::string("1")};
    const std::pair<Dimension, std::string> dimensions[] = {
        {Dimension::duration, "s"},          {Dimension::power, "W"},
        {Dimension::energy_price, currency.code + "/MWh"}, {Dimension::carbon_intensity, "g/kWh"},
        {Dimension::money, currency.code},   {Dimension::fraction, "1"}};
    std::optional<std::pair<double, std::string>> found;
    int matches = 0;
    for (const auto& [dimension, unit] : dimensions) {
        try {
            found = std::pair{parse_quantity(text, dimension, currency), unit};
            ++matches;
        } catch (const std::exception&) {
            // not this dimension
        }
    }
    if (matches != 1) return std::nullopt;
    return found;
}

/// The position along each axis of point `p`: the last axis varies fastest.
inline std::vector<std::size_t> positions(const std::vector<Axis>& axes, std::size_t p) {
    std::vector<std::size_t> at(axes.size());
    for (std::size_t a = axes.size(); a-- > 0;) {
        at[a] = p % axes[a].size();
        p /= axes[a].size();
    }
    return at;
}

/// Why the key path `segments` may not be swept, or nullopt.
inline std::optional<std::string> unsweepable(const std::vector<KeySegment>& segments) {
    const auto* first = std::get_if<std::string>(&segments.front());
    if (!first) return std::nullopt;
    if (*first == "replications") {
        return "cannot be swept: every point runs `replications` times; set replications instead";
    }
    if (*first == "common_random_numbers") {
        return "cannot be swept: it decides how the points' random streams relate; set it for the study";
    }
    if (*first == "sweep") return "cannot be swept: it is the sweep itself";
    if (*first == "name") return "cannot be swept: the points are one study and share its name";
    if (*first == "start" || *first == "end" || *first == "output") {
        return "cannot be swept: it would change the output's time axis, which all points share";
    }
    const auto* last = std::get_if<std::string>(&segments.back());
    if ((*first == "sites" || *first == "tenants") && segments.size() == 3 && last && *last == "name") {
        const std::string what = *first == "sites" ? "site" : "tenant";
        return "cannot be swept: the points must have the same " + what + " names, which label the output";
    }
    return std::nullopt;
}

/// Walks `segments` down the scenario tree: why they lead neither to a value nor to a new key of an
/// existing mapping, or nullopt. `is_new` says whether the last key is absent (the loader judges it).
inline std::optional<std::string> missing_in(const YAML::Node& root, const std::vector<KeySegment>& segments, bool& is_new) {
    YAML::Node node(root); // a handle: reset() below moves it, never writes the tree
    is_new = false;
    for (std::size_t k = 0; k < segments.size(); ++k) {
        const std::string parent = key_path_text(segments, k);
        const YAML::Node& here = node;
        if (const auto* key = std::get_if<std::string>(&segments[k])) {
            if (!here.IsMap()) return "'" + parent + "' is not a mapping, so it has no key '" + *key + "'";
            if (const YAML::Node child = here[*key]) {
                node.reset(child);
                continue;
            }
            if (k + 1 == segments.size()) {
                is_new = true;
                return std::nullopt;
            }
            std::vector<std::string> keys;
            for (const auto& entry : here) keys.push_back(entry.first.Scalar());
            std::string message = "'" + key_path_text(segments, k + 1) + "' does not exist in the scenario";
            if (auto near = nearest_name(*key, keys)) message += "; did you mean '" + *near + "'?";
            return message;
        }
        const std::size_t index = std::get<std::size_t>(segments[k]);
        const std::string missing = "[" + std::to_string(index) + "] does not exist";
        if (!here.IsSequence()) return "'" + parent + "' is not a list, so " + missing;
        if (index >= here.size()) {
            return "'" + parent + "' has " + std::to_string(here.size()) + (here.size() == 1 ? " entry" : " entries") +
                   " (indices start at 0), so " + missing;
        }
        node.reset(here[index]);
    }
    return std::nullopt;
}

/// Reads the `sweep:` block into axes, reporting every problem in it.
class SweepReader {
public:
    SweepReader(YamlReader& reader, const YAML::Node& root, const std::vector<OverrideOrigin>& origins,
                const StudyInput& input)
        : r_(reader), root_(root), origins_(origins), input_(input) {}

    std::vector<Axis> read(const YAML::Node& sweep) {
        std::vector<Axis> axes;
        // `sweep: {}` (or `--set 'sweep={}'`) runs the file without its sweep.
        if (!sweep || sweep.IsNull()) return axes;
        if (!sweep.IsMap()) {
            r_.error(sweep, "sweep", YamlReader::found(sweep) + ", expected a mapping of key paths to values, like "
                                                                "{sites[0].grid: [20MW, 30MW]}");
            return axes;
        }
        bool ok = true;
        for (const auto& entry : sweep) {
            if (entry.first.IsScalar() && trim(entry.first.Scalar()) == "zip") {
                ok = read_zip(entry.second, axes) && ok;
            } else if (auto key = read_key(entry.first, entry.second, "sweep")) {
                axes.push_back(Axis{{std::move(*key)}});
            } else {
                ok = false;
            }
        }
        double points = 1;
        for (const Axis& axis : axes) points *= static_cast<double>(axis.size());
        if (ok && points > max_points) {
            r_.error(sweep, "sweep", "gives " + format_number(points) + " points, expected at most " +
                                         format_number(max_points) + "; sweep fewer values or run several studies");
        }
        return axes;
    }

private:
    /// `zip:` is one mapping of zipped keys, or a list of them (one axis each).
    bool read_zip(const YAML::Node& node, std::vector<Axis>& axes) {
        const std::string path = "sweep.zip";
        std::vector<std::pair<YAML::Node, std::string>> groups;
        if (node.IsMap()) {
            groups.emplace_back(node, path);
        } else if (node.IsSequence() && node.size() > 0) {
            for (std::size_t i = 0; i < node.size(); ++i) {
                groups.emplace_back(node[i], YamlReader::index_path(path, i));
            }
        } else {
            r_.error(node, path,
                     YamlReader::found(node) + ", expected a mapping of key paths to lists of equal length, like "
                                               "{sites[0].grid: [20MW, 30MW], seed: [1, 2]}, or a list of such mappings");
            return false;
        }
        bool ok = true;
        for (const auto& [group, group_path] : groups) {
            if (auto axis = read_zip_axis(group, group_path)) axes.push_back(std::move(*axis));
            else ok = false;
        }
        return ok;
    }

    std::optional<Axis> read_zip_axis(const YAML::Node& node, const std::string& path) {
        if (!node.IsMap() || node.size() == 0) {
            r_.error(node, path, (node.IsMap() ? std::string("an empty mapping") : YamlReader::found(node)) +
                                     ", expected a mapping of key paths to lists of equal length, like "
                                     "{sites[0].grid: [20MW, 30MW], seed: [1, 2]}");
            return std::nullopt;
        }
        Axis axis;
        bool ok = true;
        for (const auto& entry : node) {
            if (auto key = read_key(entry.first, entry.second, path)) axis.keys.push_back(std::move(*key));
            else ok = false;
        }
        if (!ok) return std::nullopt;
        const auto differs = [&](const SweptKey& k) { return k.texts.size() != axis.size(); };
        if (std::any_of(axis.keys.begin(), axis.keys.end(), differs)) {
            std::vector<std::string> lengths;
            for (const SweptKey& k : axis.keys) {
                const std::size_t n = k.texts.size();
                lengths.push_back(k.key + " has " + std::to_string(n) + (n == 1 ? " value" : " values"));
            }
            r_.error(node, path, "the zipped keys have different lengths (" + join(lengths, ", ") +
                                     "), expected lists of equal length: zipped keys advance together");
            return std::nullopt;
        }
        return axis;
    }

public:
    /// One swept key and its values; nullopt (after reporting) if either is wrong. `parent` is the
    /// path of the block that names the key, for diagnostics ("sweep", "plan.decide[0]").
    std::optional<SweptKey> read_key(const YAML::Node& key_node, const YAML::Node& values,
                                     const std::string& parent) {
        if (!key_node.IsScalar()) {
            r_.error(key_node, parent, YamlReader::found(key_node) + ", expected a key path like sites[0].grid");
            return std::nullopt;
        }
        SweptKey swept;
        swept.key = std::string(trim(key_node.Scalar()));
        swept.path = parent + "." + swept.key;
        bool is_new = false;
        const bool key_ok = check_key(key_node, swept, is_new);
        const bool values_ok = read_values(values, swept);
        if (!key_ok || !values_ok) return std::nullopt;
        if (is_new) {
            // A key the file does not have: the loader knows whether it may; ask it with the first value.
            if (auto unknown = unknown_key(swept)) {
                r_.error(key_node, swept.path, "'" + swept.key + "' does not exist in the scenario: " + *unknown);
                return std::nullopt;
            }
        }
        return swept;
    }

private:
    bool check_key(const YAML::Node& key_node, SweptKey& swept, bool& is_new) {
        const auto segments = split_key_path(swept.key);
        if (!segments) {
            r_.error(key_node, swept.path,
                     "'" + swept.key + "' is not a key path, expected keys joined by '.' with list indices in "
                                       "brackets, like sites[1].grid");
            return false;
        }
        if (auto why = unsweepable(*segments)) {
            r_.error(key_node, swept.path, "'" + swept.key + "' " + *why);
            return false;
        }
        swept.normal = key_path_text(*segments, segments->size());
        for (const auto& [other, mark] : seen_) {
            const std::string line = std::to_string(mark.line + 1);
            if (other == swept.normal) {
                r_.error(key_node, swept.path, "'" + swept.key + "' is swept twice (first on line " + line +
                                                   "), expected each key once");
                return false;
            }
            if (within(swept.normal, other) || within(other, swept.normal)) {
                r_.error(key_node, swept.path,
                         "'" + swept.key + "' overlaps '" + other + "', swept on line " + line +
                             ": one would replace the other's values, expected keys that do not overlap");
                return false;
            }
        }
        seen_.emplace_back(swept.normal, key_node.Mark());
        for (const OverrideOrigin& set : origins_) {
            if (within(swept.normal, set.key_path) || within(set.key_path, swept.normal)) {
                r_.error(key_node, swept.path,
                         "'" + swept.key + "' is also set by --set " + set.text +
                             ": the sweep would replace the --set value; to sweep other values, set the sweep's "
                             "list instead, like --set '" + swept.path + "=[...]'");
                return false;
            }
        }
        if (auto why = missing_in(root_, *segments, is_new)) {
            r_.error(key_node, swept.path, *why);
            return false;
        }
        return true;
    }

    /// A list of values or a range {from, to, step}.
    bool read_values(const YAML::Node& node, SweptKey& swept) {
        if (node.IsSequence()) {
            if (node.size() == 0) {
                r_.error(node, swept.path, "an empty list, expected at least one value");
                return false;
            }
            for (const YAML::Node& item : node) {
                swept.settings.push_back(one_line_yaml(item));
                swept.texts.push_back(item.IsScalar() ? item.Scalar() : swept.settings.back());
                swept.marks.push_back(item.Mark());
            }
            return true;
        }
        if (node.IsMap() && (node["from"] || node["to"] || node["step"])) return read_range(node, swept);
        r_.error(node, swept.path,
                 YamlReader::found(node) + ", expected a list of values like [20MW, 30MW] or a range like "
                                           "{from: 20MW, to: 40MW, step: 10MW}");
        return false;
    }

    bool read_range(const YAML::Node& node, SweptKey& swept) {
        const std::string& path = swept.path;
        const std::size_t errors_before = r_.error_count();
        r_.check_mapping(node, path, {"from", "to", "step"});
        const auto from = bound(r_.child(node, path, "from", true), path + ".from");
        const auto to = bound(r_.child(node, path, "to", true), path + ".to");
        const auto step = bound(r_.child(node, path, "step", true), path + ".step");
        if (r_.error_count() != errors_before || !from || !to || !step) return false;
        bool ok = true;
        for (const auto& [key, value] : {std::pair{"to", &*to}, std::pair{"step", &*step}}) {
            if (value->unit != from->unit) {
                r_.error(node[key], path + "." + key,
                         YamlReader::found(node[key]) + " is in " + unit_name(value->unit) + " but from is in " +
                             unit_name(from->unit) + ", expected one unit for from, to and step");
                ok = false;
            }
        }
        if (step->value <= 0) {
            r_.error(node["step"], path + ".step", YamlReader::found(node["step"]) + ", expected a step > 0");
            ok = false;
        }
        if (to->value < from->value) {
            r_.error(node["to"], path + ".to",
                     YamlReader::found(node["to"]) + " is below from (" + node["from"].Scalar() +
                         "), expected to >= from");
            ok = false;
        }
        if (!ok) return false;
        // `to` is included when it lands on the grid within a relative 1e-9, despite rounding.
        const double steps_to_end = (to->value - from->value) / step->value;
        const double last = std::floor(steps_to_end + 1e-9 * std::max(1.0, steps_to_end));
        if (last + 1 > max_range_values) {
            r_.error(node["step"], path + ".step", "gives " + format_number(last + 1) + " values, expected at most " +
                                                       format_number(max_range_values) + "; use a larger step");
            return false;
        }
        const double tolerance = 1e-9 * std::max(std::fabs(to->value), step->value);
        for (double k = 0; k <= last; ++k) {
            double value = from->value + k * step->value;
            if (std::fabs(value - to->value) <= tolerance) value = to->value;
            swept.settings.push_back(format_number(value) + from->unit);
            swept.texts.push_back(swept.settings.back());
            swept.marks.push_back(node.Mark());
        }
        return true;
    }

    static std::string unit_name(const std::string& unit) {
        return unit.empty() ? std::string("no unit") : "'" + unit + "'";
    }

    std::optional<NumberWithUnit> bound(const YAML::Node& node, const std::string& path) {
        if (!node) return std::nullopt; // child() reported it
        if (node.IsScalar()) {
            if (auto x = number_with_unit(node.Scalar())) return x;
        }
        r_.error(node, path, YamlReader::found(node) + ", expected a number with an optional unit, like 20MW");
        return std::nullopt;
    }

    /// The loader's "unknown key" message for a key the file lacks, when the loader does not accept it.
    std::optional<std::string> unknown_key(const SweptKey& swept) {
        try {
            input_.load({swept.key + "=" + swept.settings.front()});
        } catch (const ScenarioError& e) {
            for (const Diagnostic& d : e.diagnostics().items()) {
                if (d.key_path == swept.normal && d.message.rfind("unknown key", 0) == 0) return d.message;
            }
        }
        return std::nullopt;
    }

    YamlReader& r_;
    const YAML::Node& root_;
    const std::vector<OverrideOrigin>& origins_;
    const StudyInput& input_;
    std::vector<std::pair<std::string, YAML::Mark>> seen_; // swept key paths, to catch one given twice
};

} // namespace capsim::scenario::detail
