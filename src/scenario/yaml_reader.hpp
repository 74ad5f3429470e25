#pragma once
// Reading YAML nodes with their positions: every failed read becomes a Diagnostic at the node's
// line and column, and reading goes on so that one pass reports every problem. Private to the loader.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "capsim/scenario/diagnostics.hpp"
#include "capsim/scenario/units.hpp"

namespace capsim::scenario::detail {

/// A key path that came from a --set override, and the override's text.
struct OverrideOrigin {
    std::string key_path;
    std::string text;
};

class YamlReader {
public:
    YamlReader(std::string file, std::vector<OverrideOrigin> overrides, Diagnostics& diagnostics)
        : file_(std::move(file)), overrides_(std::move(overrides)), diagnostics_(diagnostics) {}

    /// Records a problem at `node` (its mark) for `key_path`.
    void error(const YAML::Node& node, const std::string& key_path, const std::string& message);
    void error_at(const YAML::Mark& mark, const std::string& key_path, const std::string& message);
    std::size_t error_count() const { return diagnostics_.items().size(); }
    /// Records a note at `node`: something the run handles in a way the user may not expect.
    void note(const YAML::Node& node, const std::string& key_path, const std::string& message);
    const std::vector<Diagnostic>& notes() const { return notes_; }

    /// Checks that `node` is a mapping whose keys are all in `allowed`; reports each unknown key with a
    /// suggestion. Returns false (after reporting) when the node is not a mapping.
    bool check_mapping(const YAML::Node& node, const std::string& key_path, const std::vector<std::string>& allowed);
    bool check_sequence(const YAML::Node& node, const std::string& key_path, const std::string& of_what);

    /// The child `key` of a mapping, or an undefined node; reports it when `required` and absent.
    YAML::Node child(const YAML::Node& map, const std::string& map_path, const std::string& key, bool required);

    // The typed readers below report a value of the wrong form; an absent (undefined) node gives
    // nullopt silently, since child() has already reported it when it was required.
    std::optional<std::string> text(const YAML::Node& node, const std::string& key_path, const std::string& expected);
    std::optional<double> number(const YAML::Node& node, const std::string& key_path, double min, double max);
    std::optional<bool> boolean(const YAML::Node& node, const std::string& key_path); // `true` or `false`
    std::optional<std::int64_t> whole_number(const YAML::Node& node, const std::string& key_path, std::int64_t min);
    std::optional<double> quantity(const YAML::Node& node, const std::string& key_path, Dimension dimension,
                                   const Currency& currency);
    /// A signed duration ("-5h" is allowed), for UTC offsets.
    std::optional<double> signed_duration(const YAML::Node& node, const std::string& key_path);
    /// A date or date-time, as UTC epoch seconds.
    std::optional<double> date(const YAML::Node& node, const std::string& key_path);

    static std::string join_path(const std::string& path, const std::string& key) {
        return path.empty() ? key : path + "." + key;
    }
    static std::string index_path(const std::string& path, std::size_t i) {
        return path + "[" + std::to_string(i) + "]";
    }
    /// How a node's value is shown in a message: its text, or "a mapping"/"a list".
    static std::string found(const YAML::Node& node);

private:
    Diagnostic located(const YAML::Mark& mark, const std::string& key_path, const std::string& message) const;

    std::string file_;
    std::vector<OverrideOrigin> overrides_;
    Diagnostics& diagnostics_;
    std::vector<Diagnostic> notes_;
};

} // namespace capsim::scenario::detail
