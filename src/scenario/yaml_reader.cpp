#include "yaml_reader.hpp"

#include <algorithm>
#include <cmath>

#include "capsim/util/calendar.hpp"
#include "capsim/util/strings.hpp"
#include "diagnostic_messages.hpp"

namespace capsim::scenario::detail {
namespace {

bool is_under(const std::string& path, const std::string& prefix) {
    if (path.compare(0, prefix.size(), prefix) != 0) return false;
    return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}

} // namespace

Diagnostic YamlReader::located(const YAML::Mark& mark, const std::string& key_path, const std::string& message) const {
    Diagnostic d;
    d.file = file_;
    d.key_path = key_path;
    d.message = message;
    for (const auto& o : overrides_) {
        if (is_under(key_path, o.key_path)) d.origin = "--set " + o.text;
    }
    if (d.origin.empty() && !mark.is_null()) {
        d.line = mark.line + 1;
        d.column = mark.column + 1;
    }
    return d;
}

void YamlReader::error_at(const YAML::Mark& mark, const std::string& key_path, const std::string& message) {
    diagnostics_.add(located(mark, key_path, message));
}

void YamlReader::note(const YAML::Node& node, const std::string& key_path, const std::string& message) {
    Diagnostic d = located(node.IsDefined() ? node.Mark() : YAML::Mark::null_mark(), key_path, message);
    d.note = true;
    notes_.push_back(std::move(d));
}

void YamlReader::error(const YAML::Node& node, const std::string& key_path, const std::string& message) {
    error_at(node.IsDefined() ? node.Mark() : YAML::Mark::null_mark(), key_path, message);
}

std::string YamlReader::found(const YAML::Node& node) {
    if (!node.IsDefined() || node.IsNull()) return "nothing";
    if (node.IsMap()) return "a mapping";
    if (node.IsSequence()) return "a list";
    return "'" + node.Scalar() + "'";
}

bool YamlReader::check_mapping(const YAML::Node& node, const std::string& key_path,
                               const std::vector<std::string>& allowed) {
    if (!node.IsMap()) {
        error(node, key_path, found_instead_of(node, "a mapping with keys " + join_alternatives(allowed)));
        return false;
    }
    std::vector<std::pair<std::string, YAML::Mark>> seen;
    for (const auto& entry : node) {
        // YAML reads a key written null, ~ or nothing as null, not as text.
        const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : entry.first.IsNull() ? "null" : "?";
        const auto earlier = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == key; });
        if (earlier != seen.end()) {
            error(entry.first, join_path(key_path, key),
                  "given twice (first on line " + std::to_string(earlier->second.line + 1) +
                      "), expected each key once");
            continue;
        }
        seen.emplace_back(key, entry.first.Mark());
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        error(entry.first, join_path(key_path, key), unknown_key(key, allowed));
    }
    return true;
}

bool YamlReader::check_sequence(const YAML::Node& node, const std::string& key_path, const std::string& of_what) {
    if (node.IsSequence()) return true;
    error(node, key_path, found_instead_of(node, "a list of " + of_what));
    return false;
}

YAML::Node YamlReader::child(const YAML::Node& map, const std::string& map_path, const std::string& key,
                             bool required) {
    if (map.IsMap()) {
        if (YAML::Node value = map[key]) return value;
    }
    if (required && map.IsMap()) {
        // A misspelt key ("gird") was reported with "did you mean 'grid'?": saying that 'grid' is
        // missing too would count one mistake twice.
        for (const auto& entry : map) {
            if (entry.first.IsScalar() && nearest_name(entry.first.Scalar(), {key})) {
                return YAML::Node(YAML::NodeType::Undefined);
            }
        }
        error(map, join_path(map_path, key), missing_required_key());
    }
    return YAML::Node(YAML::NodeType::Undefined);
}

std::optional<std::string> YamlReader::text(const YAML::Node& node, const std::string& key_path,
                                            const std::string& expected) {
    if (!node.IsDefined()) return std::nullopt; // absent: child() reported it if it was required
    if (!node.IsScalar() || node.Scalar().empty()) {
        error(node, key_path, found_instead_of(node, expected));
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<double> YamlReader::number(const YAML::Node& node, const std::string& key_path, double min,
                                         double max) {
    if (!node.IsDefined()) return std::nullopt; // absent: child() reported it if it was required
    const auto value = node.IsScalar() ? parse_finite_double(trim(node.Scalar())) : std::nullopt;
    auto range = [&] {
        std::string r = "a number";
        if (std::isfinite(min) && std::isfinite(max)) return r + " from " + format_number(min) + " to " + format_number(max);
        if (std::isfinite(min)) return r + " >= " + format_number(min);
        if (std::isfinite(max)) return r + " <= " + format_number(max);
        return r;
    };
    if (!value || *value < min || *value > max) {
        error(node, key_path, found_instead_of(node, range()));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, const std::string& key_path) {
    if (!node.IsDefined()) return std::nullopt; // absent: child() reported it if it was required
    if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) return node.Scalar() == "true";
    error(node, key_path, found_instead_of(node, "true or false"));
    return std::nullopt;
}

std::optional<std::int64_t> YamlReader::whole_number(const YAML::Node& node, const std::string& key_path,
                                                     std::int64_t min) {
    if (!node.IsDefined()) return std::nullopt; // absent: child() reported it if it was required
    const auto value = node.IsScalar() ? parse_finite_double(trim(node.Scalar())) : std::nullopt;
    if (!value || std::floor(*value) != *value || *value < static_cast<double>(min) || std::fabs(*value) > 9e15) {
        error(node, key_path, found_instead_of(node, "a whole number >= " + std::to_string(min)));
        return std::nullopt;
    }
    return static_cast<std::int64_t>(*value);
}

std::optional<double> YamlReader::quantity(const YAML::Node& node, const std::string& key_path, Dimension dimension,
                                           const Currency& currency) {
    if (!node.IsDefined()) return std::nullopt; // absent: child() reported it if it was required
    if (!node.IsScalar()) {
        error(node, key_path, found_instead_of(node, describe(dimension)));
        return std::nullopt;
    }
    try {
        return parse_quantity(node.Scalar(), dimension, currency);
    } catch (const UnitError& e) {
        error(node, key_path, e.what());
        return std::nullopt;
    }
}

std::optional<double> YamlReader::signed_duration(const YAML::Node& node, const std::string& key_path) {
    if (!node.IsDefined()) return std::nullopt; // absent: child() reported it if it was required
    if (node.IsScalar()) {
        std::string_view text = trim(node.Scalar());
        const bool negative = !text.empty() && text.front() == '-';
        if (negative || (!text.empty() && text.front() == '+')) text.remove_prefix(1);
        try {
            const double magnitude = parse_quantity(text, Dimension::duration);
            return negative ? -magnitude : magnitude;
        } catch (const UnitError&) {
        }
    }
    error(node, key_path, found_instead_of(node, "a signed duration like '+4h' or '-5h'"));
    return std::nullopt;
}

std::optional<double> YamlReader::date(const YAML::Node& node, const std::string& key_path) {
    if (!node.IsDefined()) return std::nullopt; // absent: child() reported it if it was required
    if (node.IsScalar()) {
        if (auto t = parse_datetime(trim(node.Scalar()))) return t;
        if (auto why = impossible_date(node.Scalar())) {
            error(node, key_path, "'" + std::string(trim(node.Scalar())) + "' is not a day: " + *why + ", expected a date like 2026-03-01");
            return std::nullopt;
        }
    }
    error(node, key_path, found_instead_of(node, "a date like 2026-03-01 (or 2026-03-01 14:00)"));
    return std::nullopt;
}

} // namespace capsim::scenario::detail
