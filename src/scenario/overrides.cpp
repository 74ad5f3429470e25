#include "overrides.hpp"

#include <cctype>

#include "capsim/util/strings.hpp"

namespace capsim::scenario::detail {
namespace {

/// Splits a plain key path (no `sweep` rule) into `segments`; false if malformed.
bool split_plain(std::string_view path, std::vector<KeySegment>& segments) {
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string_view::npos || close == i + 1) return false;
            std::size_t index = 0;
            for (std::size_t k = i + 1; k < close; ++k) {
                if (!std::isdigit(static_cast<unsigned char>(path[k]))) return false;
                index = index * 10 + static_cast<std::size_t>(path[k] - '0');
            }
            segments.emplace_back(index);
            i = close + 1;
            if (i < path.size() && path[i] == '.') ++i;
            continue;
        }
        std::size_t end = i;
        while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
        if (end == i) return false;
        segments.emplace_back(std::string(path.substr(i, end - i)));
        i = end;
        if (i < path.size() && path[i] == '.') {
            ++i;
            if (i == path.size()) return false;
        }
    }
    return true;
}

} // namespace

std::optional<std::vector<KeySegment>> split_key_path(std::string_view path) {
    std::vector<KeySegment> segments;
    constexpr std::string_view sweep = "sweep.";
    if (path.substr(0, sweep.size()) == sweep && path.size() > sweep.size()) {
        // The sweep block's keys are key paths: keep the swept path whole, after an optional `zip`
        // (with its list index, when zip is a list of mappings).
        segments.emplace_back(std::string("sweep"));
        std::string_view rest = path.substr(sweep.size());
        constexpr std::string_view zip = "zip";
        if (rest.substr(0, zip.size()) == zip && (rest.size() == zip.size() || rest[zip.size()] == '.' ||
                                                  rest[zip.size()] == '[')) {
            std::size_t end = zip.size();
            while (end < rest.size() && rest[end] == '[') {
                const std::size_t close = rest.find(']', end);
                if (close == std::string_view::npos) return std::nullopt;
                end = close + 1;
            }
            if (!split_plain(rest.substr(0, end), segments)) return std::nullopt;
            if (end == rest.size()) return segments;
            if (rest[end] != '.' || end + 1 == rest.size()) return std::nullopt;
            rest = rest.substr(end + 1);
        }
        segments.emplace_back(std::string(rest));
        return segments;
    }
    if (!split_plain(path, segments) || segments.empty()) return std::nullopt;
    return segments;
}

std::string key_path_text(const std::vector<KeySegment>& segments, std::size_t count) {
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
        const auto segments = split_key_path(path);
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
            const KeySegment& segment = (*segments)[k];
            if (const auto* key = std::get_if<std::string>(&segment)) {
                if (!node.IsMap() || !node[*key]) {
                    fail("'" + key_path_text(*segments, k + 1) + "' does not exist in the scenario");
                    ok = false;
                } else {
                    node.reset(node[*key]);
                }
            } else {
                const std::size_t index = std::get<std::size_t>(segment);
                if (!node.IsSequence() || index >= node.size()) {
                    fail("'" + key_path_text(*segments, k) + "' has " +
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
        const KeySegment& last = segments->back();
        if (const auto* key = std::get_if<std::string>(&last)) {
            if (!node.IsMap() && !node.IsNull()) {
                fail("'" + key_path_text(*segments, segments->size() - 1) + "' is not a mapping");
                continue;
            }
            node[*key] = value;
        } else {
            const std::size_t index = std::get<std::size_t>(last);
            if (!node.IsSequence() || index >= node.size()) {
                fail("'" + key_path_text(*segments, segments->size()) + "' does not exist");
                continue;
            }
            node[index] = value;
        }
        origins.push_back({key_path_text(*segments, segments->size()), text});
    }
    return origins;
}

} // namespace capsim::scenario::detail
