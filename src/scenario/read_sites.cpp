// The sites section: each site's grid connection, PUE, electricity price, carbon intensity and load,
// each a profile that may vary in time, and the facility's capex.
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "capsim/util/calendar.hpp"
#include "diagnostic_messages.hpp"
#include "section_readers.hpp"

namespace capsim::scenario::detail {
namespace {

/// A CSV profile's times are in this column unless `time_column` names another.
constexpr const char* default_time_column = "time";

/// A constant of `dimension` as the forms of a profile show it in messages.
std::string example(Dimension dimension, const Currency& currency) {
    switch (dimension) {
    case Dimension::power: return "25 MW";
    case Dimension::energy_price: return "90 " + currency.code + "/MWh";
    case Dimension::carbon_intensity: return "480 g/kWh";
    case Dimension::fraction: return "1.3";
    default: return "1";
    }
}

/// A list of {from, <value_key>} steps in date order, the first on or before the scenario start.
std::optional<infra::Profile> read_steps(SectionContext& context, const YAML::Node& list, const std::string& path,
                                         Dimension dimension, const std::string& value_key) {
    YamlReader& reader = context.reader;
    const Scenario& scenario = context.scenario;
    std::vector<std::pair<double, double>> points;
    bool ok = true;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string item_path = YamlReader::index_path(path, i);
        const YAML::Node item = list[i];
        if (!reader.check_mapping(item, item_path, {"from", value_key})) {
            ok = false;
            continue;
        }
        const auto from = reader.date(reader.child(item, item_path, "from", true), item_path + ".from");
        const auto v =
            context.quantity(reader.child(item, item_path, value_key, true), item_path + "." + value_key, dimension);
        if (!from || !v) {
            ok = false;
            continue;
        }
        if (!points.empty() && *from <= points.back().first) {
            reader.error(item["from"], item_path + ".from",
                         "'" + item["from"].Scalar() + "' is not after the previous step's " +
                             format_date(points.back().first) + ", expected the steps in date order");
            ok = false;
            continue;
        }
        points.emplace_back(*from, *v);
    }
    if (points.empty()) {
        if (ok) reader.error(list, path, empty_list("at least one {from, " + value_key + "} step"));
        return std::nullopt;
    }
    // Only when every step was read is points[0] the list's first item.
    if (ok && context.horizon_ok && points.front().first > scenario.start_s) {
        reader.error(list[0]["from"], YamlReader::index_path(path, 0) + ".from",
                     "'" + list[0]["from"].Scalar() + "' is after the scenario start " +
                         format_date(scenario.start_s) + ", expected the first step on or before it");
        ok = false;
    }
    if (!ok || !context.horizon_ok) return std::nullopt;
    return infra::Profile::steps(std::move(points), scenario.start_s);
}

/// A site quantity that may vary in time: a constant, a list of {from, <value_key>} steps,
/// {monthly: [12 values]}, {day, night, night_hours} or {csv, column}. PUE and load are plain
/// numbers (load may be a percentage), the others carry units; a CSV's values are in `csv_unit`
/// unless it names its own. Ranges are checked on the whole profile by the caller.
std::optional<infra::Profile> read_profile(SectionContext& context, const YAML::Node& node, const std::string& path,
                                           Dimension dimension, const std::string& value_key, double utc_offset_s,
                                           const char* csv_unit) {
    YamlReader& reader = context.reader;
    const Scenario& scenario = context.scenario;
    const std::string forms = "a constant like '" + example(dimension, scenario.currency) +
                              "', a list of {from: DATE, " + value_key +
                              ": VALUE} steps, {monthly: [12 values]}, {day: V, night: V, night_hours: [22, 6]} "
                              "or {csv: FILE, column: NAME}";
    if (node.IsScalar()) {
        if (auto v = context.quantity(node, path, dimension)) return infra::Profile::constant(*v);
        return std::nullopt;
    }
    if (node.IsSequence()) return read_steps(context, node, path, dimension, value_key);
    if (!node.IsMap()) {
        reader.error(node, path, found_instead_of(node, forms));
        return std::nullopt;
    }
    if (node["monthly"]) {
        if (!reader.check_mapping(node, path, {"monthly"})) return std::nullopt;
        const YAML::Node months = node["monthly"];
        if (!months.IsSequence() || months.size() != 12) {
            reader.error(months, path + ".monthly",
                         YamlReader::found(months) +
                             (months.IsSequence() ? " of " + std::to_string(months.size()) + " values" : "") +
                             ", expected a list of 12 values, January to December");
            return std::nullopt;
        }
        std::array<double, 12> values{};
        bool ok = true;
        for (std::size_t m = 0; m < 12; ++m) {
            if (auto v = context.quantity(months[m], YamlReader::index_path(path + ".monthly", m), dimension)) {
                values[m] = *v;
            } else {
                ok = false;
            }
        }
        if (!ok) return std::nullopt;
        return infra::Profile::monthly(values, utc_offset_s);
    }
    if (node["day"] || node["night"] || node["night_hours"]) {
        if (!reader.check_mapping(node, path, {"day", "night", "night_hours"})) return std::nullopt;
        const auto day = context.quantity(reader.child(node, path, "day", true), path + ".day", dimension);
        const auto night = context.quantity(reader.child(node, path, "night", true), path + ".night", dimension);
        const YAML::Node hours = reader.child(node, path, "night_hours", true);
        std::optional<std::int64_t> from, to;
        if (hours && (!hours.IsSequence() || hours.size() != 2)) {
            reader.error(hours, path + ".night_hours",
                         found_instead_of(hours, "[start hour, end hour] like [22, 6]"));
        } else if (hours) {
            from = reader.whole_number(hours[0], path + ".night_hours[0]", 0);
            to = reader.whole_number(hours[1], path + ".night_hours[1]", 0);
            if ((from && *from > 23) || (to && *to > 23) || (from && to && *from == *to)) {
                reader.error(hours, path + ".night_hours",
                             YamlReader::found(hours[0]) + " to " + YamlReader::found(hours[1]) +
                                 ", expected two different hours from 0 to 23");
                from.reset();
            }
        }
        if (!day || !night || !from || !to) return std::nullopt;
        return infra::Profile::day_night(*day, *night, static_cast<int>(*from), static_cast<int>(*to), utc_offset_s);
    }
    if (node["csv"]) {
        if (!reader.check_mapping(node, path, {"csv", "column", "time_column", "unit"})) return std::nullopt;
        const auto file = reader.text(node["csv"], path + ".csv", "a CSV file name");
        const auto column = reader.text(reader.child(node, path, "column", true), path + ".column", "a column name");
        std::string time_column = default_time_column;
        if (YAML::Node t = node["time_column"]) {
            if (auto v = reader.text(t, path + ".time_column", "a column name")) time_column = *v;
        }
        double scale = 1;
        std::string unit = csv_unit;
        if (YAML::Node u = node["unit"]) {
            if (auto v = reader.text(u, path + ".unit", "a unit")) unit = *v;
        }
        if (!unit.empty()) {
            try {
                scale = parse_quantity("1 " + unit, dimension, scenario.currency);
            } catch (const UnitError& e) {
                reader.error(node["unit"] ? node["unit"] : node, path + ".unit", e.what());
                return std::nullopt;
            }
        }
        if (!file || !column || !context.horizon_ok) return std::nullopt;
        try {
            return infra::Profile::from_csv(context.file_path(*file), time_column, *column, scenario.start_s)
                .scaled(scale);
        } catch (const Error& e) {
            reader.error(node["csv"], path + ".csv", e.what());
        } catch (const std::invalid_argument& e) {
            reader.error(node["csv"], path + ".csv", e.what());
        }
        return std::nullopt;
    }
    reader.error(node, path, unknown_form(node, forms));
    return std::nullopt;
}

/// "10e6 USD/MW" -> currency per W.
std::optional<double> read_capex_per_power(SectionContext& context, const YAML::Node& node, const std::string& path) {
    const Currency& currency = context.scenario.currency;
    if (node.IsScalar()) {
        const std::string text = node.Scalar();
        const std::size_t slash = text.rfind('/');
        if (slash != std::string::npos) {
            try {
                const double money = parse_quantity(text.substr(0, slash), Dimension::money, currency);
                const double power = parse_quantity("1 " + text.substr(slash + 1), Dimension::power, currency);
                if (money >= 0) return money / power;
            } catch (const UnitError&) {
            }
        }
    }
    context.reader.error(node, path, found_instead_of(node, "a cost per power like '10e6 " + currency.code + "/MW'"));
    return std::nullopt;
}

/// One entry of the sites list; `site` keeps what was valid.
void read_site(SectionContext& context, const YAML::Node& node, const std::string& path,
               infra::SiteSpec& site) {
    YamlReader& reader = context.reader;
    const Scenario& scenario = context.scenario;
    if (auto name = reader.text(reader.child(node, path, "name", true), path + ".name", "a site name")) {
        for (const infra::SiteSpec& other : scenario.sites) {
            if (other.name == *name) reader.error(node["name"], path + ".name", name_used_twice(*name, "sites"));
        }
        site.name = *name;
    }
    if (YAML::Node v = reader.child(node, path, "country", false)) {
        if (auto c = reader.text(v, path + ".country", "a country code like AZ")) site.country = *c;
    }
    if (YAML::Node v = reader.child(node, path, "utc_offset", false)) {
        if (auto x = reader.signed_duration(v, path + ".utc_offset")) {
            if (std::fabs(*x) > 14 * 3600.0) {
                reader.error(v, path + ".utc_offset", found_instead_of(v, "an offset from -14h to +14h"));
            } else {
                site.utc_offset_s = *x;
            }
        }
    }
    // A required profile whose values must be at least `min`.
    auto read_required_profile = [&](const char* key, Dimension dimension, const char* value_key,
                                     const char* csv_unit, infra::Profile& out, double min, const char* min_text) {
        const YAML::Node v = reader.child(node, path, key, true);
        if (!v) return;
        auto p = read_profile(context, v, path + "." + key, dimension, value_key, site.utc_offset_s, csv_unit);
        if (!p) return;
        if (p->min_value() < min) {
            reader.error(v, path + "." + key, takes_the_value(p->min_value(), min_text));
            return;
        }
        out = std::move(*p);
    };
    read_required_profile("grid", Dimension::power, "capacity", "MW", site.grid_capacity_w, 0, "a capacity >= 0");
    read_required_profile("pue", Dimension::fraction, "value", "", site.pue, 1, "a PUE >= 1");
    if (site.pue.max_value() > 5) {
        reader.error(node["pue"], path + ".pue", takes_the_value(site.pue.max_value(), "a PUE from 1 to 5"));
    }
    read_required_profile("electricity", Dimension::energy_price, "value", (scenario.currency.code + "/MWh").c_str(),
                          site.price_per_mwh, -INFINITY, "");
    read_required_profile("carbon", Dimension::carbon_intensity, "value", "g/kWh", site.carbon_g_per_kwh, 0,
                          "an intensity >= 0");
    if (YAML::Node v = reader.child(node, path, "load", false)) {
        if (auto p = read_profile(context, v, path + ".load", Dimension::fraction, "value", site.utc_offset_s, "")) {
            if (p->min_value() < 0 || p->max_value() > 1) {
                reader.error(v, path + ".load",
                             takes_the_value(p->min_value() < 0 ? p->min_value() : p->max_value(),
                                             "a load from 0 to 1"));
            } else {
                site.load = std::move(*p);
            }
        }
    }
    if (YAML::Node v = reader.child(node, path, "facility_capex", false)) {
        if (auto x = read_capex_per_power(context, v, path + ".facility_capex")) site.facility_capex_per_w = *x;
    }
    if (YAML::Node v = reader.child(node, path, "facility_lifetime", false)) {
        if (auto x = context.quantity(v, path + ".facility_lifetime", Dimension::duration)) {
            if (*x > 0) site.facility_lifetime_s = *x;
            else reader.error(v, path + ".facility_lifetime", found_instead_of(v, "a duration > 0"));
        }
    }
}

} // namespace

void read_sites(SectionContext& context, const YAML::Node& sites) {
    if (!sites) return;
    YamlReader& reader = context.reader;
    if (!reader.check_sequence(sites, "sites", "sites")) return;
    if (sites.size() == 0) reader.error(sites, "sites", empty_list("at least one site"));
    for (std::size_t i = 0; i < sites.size(); ++i) {
        const std::string path = YamlReader::index_path("sites", i);
        const YAML::Node node = sites[i];
        infra::SiteSpec site;
        if (reader.check_mapping(node, path, {"name", "country", "utc_offset", "grid", "pue", "electricity", "carbon",
                                              "load", "facility_capex", "facility_lifetime"})) {
            read_site(context, node, path, site);
        }
        // Kept even when invalid, so that orders naming it are not reported as well.
        context.scenario.sites.push_back(std::move(site));
    }
}

} // namespace capsim::scenario::detail
