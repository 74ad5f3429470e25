#include "overrides.hpp"

#include <cctype>
#include <optional>
#include <variant>

#include "capsim/util/strings.hpp"

namespace capsim::scenario::detail {
namespace {

using Segment = std::variant<std::string, std::size_t>; // a mapping key or a list index

/// Splits "sites[1].grid" into {"sites", 1, "grid"}; nullopt if malformed.
std::optional<std::vector<Segment>> split_path(std::string_view path) {
    std::vector<Segment> segments;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string_view::npos || close == i + 1) return std::nullopt;
            std::size_t index = 0;
            for (std::size_t k = i + 1; k < close; ++k) {
                if (!std::isdigit(static_cast<unsigned char>(path[k]))) return std::nullopt;
                index = index * 10 + static_cast<std::size_t>(path[k] - '0');
            }
            segments.emplace_back(index);
            i = close + 1;
            if (i < path.size() && path[i] == '.') ++i;
            continue;
        }
        std::size_t end = i;
        while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
        if (end == i) return std::nullopt;
        segments.emplace_back(std::string(path.substr(i, end - i)));
        i = end;
        if (i < path.size() && path[i] == '.') {
            ++i;
            if (i == path.size()) return std::nullopt;
        }
    }
    if (segments.empty()) return std::nullopt;
    return segments;
}

std::string path_text(const std::vector<Segment>& segments, std::size_t count) {
    std::string out;
    for (std::size_t k = 0; k < count; ++k) {
        if (const auto* key = std::get_if<std::string>(&segments[k])) {
            out += (out.empty() ? "" : ".") + *key;
        } else {
            out += "[" + std::to_string(std::get<std::size_t>(segments[k])) + "]";
        }
    }
    return out;
}

} // namespace

std::vector<OverrideOrigin> apply_overrides(YAML::Node& root, const std::vector<std::string>& overrides,
                                            Diagnostics& diagnostics) {
    std::vector<OverrideOrigin> origins;
    for (const std::string& text : overrides) {
        auto fail = [&](const std::string& message) {
            Diagnostic d;
            d.origin = "--set " + text;
            d.message = message;
            diagnostics.add(std::move(d));
        };
        const std::size_t equals = text.find('=');
        if (equals == std::string::npos || equals == 0) {
            fail("expected key.path=value, for example sites[1].grid=40MW");
            continue;
        }
        const std::string_view path = trim(std::string_view(text).substr(0, equals));
        const std::string value_text(trim(std::string_view(text).substr(equals + 1)));
        const auto segments = split_path(path);
        if (!segments) {
            fail("'" + std::string(path) + "' is not a key path, expected keys joined by '.' with list indices "
                 "in brackets, like sites[1].grid");
            continue;
        }
        YAML::Node value;
        try {
            value = YAML::Load(value_text);
        } catch (const YAML::Exception& e) {
            fail("the value '" + value_text + "' is not valid YAML: " + e.msg);
            continue;
        }
        // Walk to the parent of the last segment; yaml-cpp nodes are handles into the same tree.
        YAML::Node node = root;
        bool ok = true;
        for (std::size_t k = 0; k + 1 < segments->size() && ok; ++k) {
            const Segment& segment = (*segments)[k];
            if (const auto* key = std::get_if<std::string>(&segment)) {
                if (!node.IsMap() || !node[*key]) {
                    fail("'" + path_text(*segments, k + 1) + "' does not exist in the scenario");
                    ok = false;
                } else {
                    node.reset(node[*key]);
                }
            } else {
                const std::size_t index = std::get<std::size_t>(segment);
                if (!node.IsSequence() || index >= node.size()) {
                    fail("'" + path_text(*segments, k) + "' has " +
                         (node.IsSequence() ? std::to_string(node.size()) + (node.size() == 1 ? " entry" : " entries") +
                                                   " (indices start at 0)"
                                            : std::string("no list entries")) +
                         ", so [" + std::to_string(index) + "] does not exist");
                    ok = false;
                } else {
                    node.reset(node[index]);
                }
            }
        }
        if (!ok) continue;
        const Segment& last = segments->back();
        if (const auto* key = std::get_if<std::string>(&last)) {
            if (!node.IsMap() && !node.IsNull()) {
                fail("'" + path_text(*segments, segments->size() - 1) + "' is not a mapping");
                continue;
            }
            node[*key] = value;
        } else {
            const std::size_t index = std::get<std::size_t>(last);
            if (!node.IsSequence() || index >= node.size()) {
                fail("'" + path_text(*segments, segments->size()) + "' does not exist");
                continue;
            }
            node[index] = value;
        }
        origins.push_back({path_text(*segments, segments->size()), text});
    }
    return origins;
}

} // namespace capsim::scenario::detail
