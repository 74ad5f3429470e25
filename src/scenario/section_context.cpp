#include "section_context.hpp"

#include <algorithm>

#include "capsim/util/strings.hpp"
#include "diagnostic_messages.hpp"

namespace capsim::scenario::detail {

std::optional<double> SectionContext::quantity(const YAML::Node& node, const std::string& path,
                                               Dimension dimension) {
    return reader.quantity(node, path, dimension, scenario.currency);
}

std::optional<double> SectionContext::non_negative(const YAML::Node& node, const std::string& path,
                                                   Dimension dimension) {
    const auto x = quantity(node, path, dimension);
    if (x && *x < 0) {
        reader.error(node, path, found_instead_of(node, std::string(describe(dimension)) + " >= 0"));
        return std::nullopt;
    }
    return x;
}

std::optional<double> SectionContext::positive(const YAML::Node& node, const std::string& path,
                                               Dimension dimension) {
    const auto x = quantity(node, path, dimension);
    if (x && *x <= 0) {
        reader.error(node, path, found_instead_of(node, std::string(describe(dimension)) + " > 0"));
        return std::nullopt;
    }
    return x;
}

std::optional<std::size_t> SectionContext::name_index(const YAML::Node& node, const std::string& path,
                                                      const std::vector<std::string>& names, const char* what) {
    const auto name = reader.text(node, path, std::string("a ") + what + " name");
    if (!name) return std::nullopt;
    const auto it = std::find(names.begin(), names.end(), *name);
    if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
    reader.error(node, path, no_such_name(what, *name, names));
    return std::nullopt;
}

std::string SectionContext::file_path(const std::string& name) const { return (base_directory / name).string(); }

double end_of_period(const YAML::Node& end, double instant) {
    constexpr double day_s = 86400.0;
    const bool plain_date = end.IsDefined() && end.IsScalar() && trim(end.Scalar()).size() == 10;
    return instant + (plain_date ? day_s : 0.0);
}

} // namespace capsim::scenario::detail
