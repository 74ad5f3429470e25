#include "diagnostic_messages.hpp"

#include "capsim/util/strings.hpp"
#include "yaml_reader.hpp"

namespace capsim::scenario::detail {

std::string found_instead_of(const YAML::Node& node, std::string_view expected) {
    return YamlReader::found(node) + ", expected " + std::string(expected);
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& names) {
    if (auto near = nearest_name(word, names)) return "; did you mean '" + *near + "'?";
    return "";
}

std::string unknown_key(const std::string& key, const std::vector<std::string>& allowed) {
    return "unknown key '" + key + "', expected " + join_alternatives(allowed) + did_you_mean(key, allowed);
}

std::string missing_required_key() { return "missing, this key is required"; }

std::string missing(std::string_view expected) { return "missing, expected " + std::string(expected); }

std::string unknown_name(std::string_view what, const std::string& name, const std::vector<std::string>& names) {
    return "unknown " + std::string(what) + " '" + name + "', expected one of " + join_alternatives(names) +
           did_you_mean(name, names);
}

std::string no_such_name(std::string_view what, const std::string& name, const std::vector<std::string>& names) {
    return "no " + std::string(what) + " named '" + name + "', expected one of " + join_alternatives(names) +
           did_you_mean(name, names);
}

std::string name_used_twice(const std::string& name, std::string_view used_by) {
    return "'" + name + "' is used by two " + std::string(used_by) + ", expected unique names";
}

std::string not_after(const YAML::Node& date, std::string_view earlier) {
    return "'" + date.Scalar() + "' is not after " + std::string(earlier) + ", expected a later date";
}

std::string empty_list(std::string_view expected) { return "an empty list, expected " + std::string(expected); }

std::string takes_the_value(double value, std::string_view expected) {
    return "takes the value " + format_number(value) + ", expected " + std::string(expected);
}

std::string can_take_the_value(double value, std::string_view expected) {
    return "can take the value " + format_number(value) + ", expected " + std::string(expected);
}

std::string unknown_form(const YAML::Node& map, std::string_view forms) {
    std::vector<std::string> keys;
    for (const auto& entry : map) keys.push_back(entry.first.Scalar());
    return "a mapping with keys " + join_alternatives(keys) + ", expected " + std::string(forms);
}

} // namespace capsim::scenario::detail
