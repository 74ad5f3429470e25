#include "capsim/scenario/scenario_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "capsim/util/calendar.hpp"
#include "capsim/util/strings.hpp"
#include "overrides.hpp"
#include "yaml_reader.hpp"

namespace capsim::scenario {
namespace {

using detail::YamlReader;

constexpr double seconds_per_year = 365.25 * 86400;

const std::vector<std::string> top_level_keys = {"name",    "description", "start", "end",   "seed",
                                                 "output",  "finance",     "power", "catalog", "sites",
                                                 "buildout"};

/// Reads one scenario tree into a Scenario, reporting problems as it goes.
class ScenarioReader {
public:
    ScenarioReader(YamlReader& reader, Scenario& scenario, std::filesystem::path base_directory)
        : r_(reader), s_(scenario), base_directory_(std::move(base_directory)) {}

    void read(const YAML::Node& root) {
        if (!r_.check_mapping(root, "", top_level_keys)) return;
        if (auto name = r_.text(r_.child(root, "", "name", true), "name", "a scenario name")) s_.name = *name;
        read_horizon(root);
        if (YAML::Node seed = r_.child(root, "", "seed", false)) {
            if (auto v = r_.whole_number(seed, "seed", 0)) s_.seed = static_cast<std::uint64_t>(*v);
        }
        read_output(r_.child(root, "", "output", false));
        read_finance(r_.child(root, "", "finance", false));
        read_power(r_.child(root, "", "power", false));
        read_catalog(r_.child(root, "", "catalog", false));
        read_sites(r_.child(root, "", "sites", true));
        read_buildout(r_.child(root, "", "buildout", false));
    }

private:
    void read_horizon(const YAML::Node& root) {
        const YAML::Node start = r_.child(root, "", "start", true);
        const YAML::Node end = r_.child(root, "", "end", true);
        // (value_or keeps GCC 12 from a false maybe-uninitialized warning on optional<double>.)
        const auto start_s = r_.date(start, "start");
        const auto end_s = r_.date(end, "end");
        s_.start_s = start_s.value_or(0.0);
        // A plain end date is the last day simulated: the horizon runs to the end of that day. An end
        // with a time of day ends at that instant.
        const bool end_is_date = end.IsDefined() && end.IsScalar() && trim(end.Scalar()).size() == 10;
        s_.end_s = end_s.value_or(0.0) + (end_is_date ? 86400.0 : 0.0);
        horizon_ok_ = start_s.has_value() && end_s.has_value();
        if (horizon_ok_ && s_.end_s <= s_.start_s) {
            r_.error(end, "end", "'" + end.Scalar() + "' is not after the start " + format_date(s_.start_s) +
                                     ", expected a later date");
            horizon_ok_ = false;
        }
    }

    void read_output(const YAML::Node& node) {
        if (!node) return;
        if (!r_.check_mapping(node, "output", {"timestep"})) return;
        if (YAML::Node step = r_.child(node, "output", "timestep", false)) {
            if (auto v = r_.quantity(step, "output.timestep", Dimension::duration, s_.currency)) {
                if (*v < 60) {
                    r_.error(step, "output.timestep", YamlReader::found(step) + ", expected at least 1min");
                } else {
                    s_.timestep_s = *v;
                }
            }
        }
    }

    void read_finance(const YAML::Node& node) {
        if (!node) return;
        if (!r_.check_mapping(node, "finance", {"currency", "exchange_rates", "depreciation"})) return;
        if (YAML::Node code = r_.child(node, "finance", "currency", false)) {
            if (auto v = r_.text(code, "finance.currency", "a currency code like USD")) s_.currency.code = *v;
        }
        if (YAML::Node rates = r_.child(node, "finance", "exchange_rates", false)) {
            if (rates.IsMap()) {
                for (const auto& entry : rates) {
                    const std::string code = entry.first.Scalar();
                    const std::string path = "finance.exchange_rates." + code;
                    if (auto v = r_.number(entry.second, path, 1e-12, INFINITY)) s_.currency.rates[code] = *v;
                }
            } else {
                r_.error(rates, "finance.exchange_rates",
                         YamlReader::found(rates) + ", expected a mapping like {EUR: 1.08} (units of " +
                             s_.currency.code + " per unit of each currency)");
            }
        }
        convert_catalog_prices(node);
        if (YAML::Node period = r_.child(node, "finance", "depreciation", false)) {
            if (auto v = r_.quantity(period, "finance.depreciation", Dimension::duration, s_.currency)) {
                if (*v <= 0) {
                    r_.error(period, "finance.depreciation", YamlReader::found(period) + ", expected a duration > 0");
                } else {
                    s_.default_lifetime_s = *v;
                }
            }
        }
    }

    void read_power(const YAML::Node& node) {
        if (!node) return;
        if (!r_.check_mapping(node, "power", {"curve", "fan_exponent"})) return;
        if (YAML::Node curve = r_.child(node, "power", "curve", false)) {
            if (auto name = r_.text(curve, "power.curve", "a power curve name")) {
                const auto names = infra::power_curve_names();
                const auto it = std::find(names.begin(), names.end(), *name);
                if (it == names.end()) {
                    std::string message = "'" + *name + "', expected " + join_alternatives(names);
                    if (auto near = nearest_name(*name, names)) message += "; did you mean '" + *near + "'?";
                    r_.error(curve, "power.curve", message);
                } else {
                    s_.power_curve.kind = static_cast<infra::PowerCurve::Kind>(it - names.begin());
                }
            }
        }
        if (YAML::Node r = r_.child(node, "power", "fan_exponent", false)) {
            if (auto v = r_.number(r, "power.fan_exponent", 1, 10)) s_.power_curve.fan_exponent = *v;
        }
    }

    void read_catalog(const YAML::Node& node) {
        if (!node) return;
        if (!r_.check_mapping(node, "catalog", {"gpus", "nodes"})) return;
        const std::size_t errors_before = r_.error_count();
        read_catalog_gpus(r_.child(node, "catalog", "gpus", false));
        read_catalog_nodes(r_.child(node, "catalog", "nodes", false));
        // The entries were checked field by field above; this catches what those checks cannot see.
        if (r_.error_count() == errors_before) {
            for (const std::string& problem : s_.catalog.problems()) r_.error(node, "catalog", problem);
        }
    }

    void read_catalog_gpus(const YAML::Node& gpus) {
        if (!gpus) return;
        if (!gpus.IsMap()) {
            r_.error(gpus, "catalog.gpus", YamlReader::found(gpus) + ", expected a mapping of GPU names to fields");
            return;
        }
        for (const auto& entry : gpus) {
            const std::string name = entry.first.Scalar();
            const std::string path = "catalog.gpus." + name;
            const YAML::Node& fields = entry.second;
            if (!r_.check_mapping(fields, path, {"bf16_tflops", "hbm", "tdp", "idle", "released", "price"})) continue;
            const infra::GpuSpec* existing = s_.catalog.find_gpu(name);
            infra::GpuSpec gpu = existing ? *existing : infra::GpuSpec{};
            gpu.name = name;
            const bool is_new = existing == nullptr;
            if (YAML::Node v = r_.child(fields, path, "bf16_tflops", is_new)) {
                if (auto x = r_.number(v, path + ".bf16_tflops", 1e-9, INFINITY)) gpu.peak_bf16_flops = *x * 1e12;
            }
            if (YAML::Node v = r_.child(fields, path, "hbm", false)) {
                if (auto x = r_.number(v, path + ".hbm", 0, INFINITY)) gpu.hbm_gb = *x;
            }
            if (YAML::Node v = r_.child(fields, path, "tdp", is_new)) {
                if (auto x = positive(v, path + ".tdp", Dimension::power)) {
                    gpu.tdp_w = *x;
                    if (!fields["idle"]) gpu.idle_w = 0.125 * *x; // an idle GPU draws 10-15 % of its TDP
                }
            }
            if (YAML::Node v = r_.child(fields, path, "idle", false)) {
                if (auto x = non_negative(v, path + ".idle", Dimension::power)) {
                    if (*x > gpu.tdp_w) {
                        r_.error(v, path + ".idle", YamlReader::found(v) + " is above the TDP of " +
                                                        format_number(gpu.tdp_w) + " W, expected at most the TDP");
                    } else {
                        gpu.idle_w = *x;
                    }
                }
            }
            if (YAML::Node v = r_.child(fields, path, "released", is_new)) {
                if (auto t = r_.date(v, path + ".released")) {
                    const CivilTime c = civil_from_epoch(*t);
                    gpu.release_year = c.year;
                    gpu.release_month = static_cast<int>(c.month);
                }
            }
            if (YAML::Node v = r_.child(fields, path, "price", is_new)) {
                if (auto x = non_negative(v, path + ".price", Dimension::money)) gpu.price = *x;
            }
            s_.catalog.set_gpu(gpu);
        }
    }

    void read_catalog_nodes(const YAML::Node& nodes) {
        if (!nodes) return;
        if (!nodes.IsMap()) {
            r_.error(nodes, "catalog.nodes", YamlReader::found(nodes) + ", expected a mapping of node type names to fields");
            return;
        }
        for (const auto& entry : nodes) {
            const std::string name = entry.first.Scalar();
            const std::string path = "catalog.nodes." + name;
            const YAML::Node& fields = entry.second;
            if (!r_.check_mapping(fields, path, {"gpu", "gpus", "overhead", "price"})) continue;
            const infra::NodeType* existing = s_.catalog.find_node(name);
            infra::NodeType node = existing ? *existing : infra::NodeType{};
            node.name = name;
            const bool is_new = existing == nullptr;
            if (YAML::Node v = r_.child(fields, path, "gpu", is_new)) {
                if (auto gpu = r_.text(v, path + ".gpu", "a GPU name")) {
                    if (!s_.catalog.find_gpu(*gpu)) {
                        std::string message = "unknown GPU '" + *gpu + "', expected one of " +
                                              join_alternatives(s_.catalog.gpu_names());
                        if (auto near = nearest_name(*gpu, s_.catalog.gpu_names())) {
                            message += "; did you mean '" + *near + "'?";
                        }
                        r_.error(v, path + ".gpu", message);
                    } else {
                        node.gpu = *gpu;
                    }
                }
            }
            if (YAML::Node v = r_.child(fields, path, "gpus", is_new)) {
                if (auto x = r_.whole_number(v, path + ".gpus", 1)) node.gpus = static_cast<int>(*x);
            }
            if (YAML::Node v = r_.child(fields, path, "overhead", is_new)) {
                if (auto x = non_negative(v, path + ".overhead", Dimension::power)) node.overhead_w = *x;
            }
            if (YAML::Node v = r_.child(fields, path, "price", is_new)) {
                if (auto x = non_negative(v, path + ".price", Dimension::money)) node.price = *x;
            }
            if (!node.gpu.empty()) s_.catalog.set_node(node);
            declared_nodes_.push_back(name); // so that orders using it are not blamed for its errors
        }
    }

    std::optional<double> non_negative(const YAML::Node& node, const std::string& path, Dimension dimension) {
        const auto x = r_.quantity(node, path, dimension, s_.currency);
        if (x && *x < 0) {
            r_.error(node, path, YamlReader::found(node) + ", expected " + std::string(describe(dimension)) + " >= 0");
            return std::nullopt;
        }
        return x;
    }

    std::optional<double> positive(const YAML::Node& node, const std::string& path, Dimension dimension) {
        const auto x = r_.quantity(node, path, dimension, s_.currency);
        if (x && *x <= 0) {
            r_.error(node, path, YamlReader::found(node) + ", expected " + std::string(describe(dimension)) + " > 0");
            return std::nullopt;
        }
        return x;
    }

    /// The built-in catalog's prices are in USD; a scenario in another currency needs the USD rate.
    void convert_catalog_prices(const YAML::Node& finance) {
        if (s_.currency.code == "USD") return;
        const auto rate = s_.currency.rates.find("USD");
        if (rate == s_.currency.rates.end()) {
            r_.error(finance["currency"] ? finance["currency"] : finance, "finance.currency",
                     "'" + s_.currency.code + "' needs finance.exchange_rates.USD (" + s_.currency.code +
                         " per USD), since the built-in catalog's prices are in USD");
            return;
        }
        for (infra::GpuSpec gpu : s_.catalog.gpus()) {
            gpu.price *= rate->second;
            s_.catalog.set_gpu(gpu);
        }
        for (infra::NodeType node : s_.catalog.nodes()) {
            node.price *= rate->second;
            s_.catalog.set_node(node);
        }
    }

    /// A site quantity that may vary in time: a constant, a list of {from, <value_key>} steps,
    /// {monthly: [12 values]}, {day, night, night_hours} or {csv, column}.
    std::optional<infra::Profile> profile(const YAML::Node& node, const std::string& path, Dimension dimension,
                                          const std::string& value_key, double utc_offset_s, const char* csv_unit) {
        const std::string forms = "a constant like '" + example(dimension) + "', a list of {from: DATE, " + value_key +
                                  ": VALUE} steps, {monthly: [12 values]}, {day: V, night: V, night_hours: [22, 6]} "
                                  "or {csv: FILE, column: NAME}";
        if (node.IsScalar()) {
            if (auto v = value(node, path, dimension)) return infra::Profile::constant(*v);
            return std::nullopt;
        }
        if (node.IsSequence()) return steps(node, path, dimension, value_key);
        if (!node.IsMap()) {
            r_.error(node, path, YamlReader::found(node) + ", expected " + forms);
            return std::nullopt;
        }
        if (node["monthly"]) {
            if (!r_.check_mapping(node, path, {"monthly"})) return std::nullopt;
            const YAML::Node months = node["monthly"];
            if (!months.IsSequence() || months.size() != 12) {
                r_.error(months, path + ".monthly", YamlReader::found(months) +
                                                       (months.IsSequence() ? " of " + std::to_string(months.size()) + " values" : "") +
                                                       ", expected a list of 12 values, January to December");
                return std::nullopt;
            }
            std::array<double, 12> values{};
            bool ok = true;
            for (std::size_t m = 0; m < 12; ++m) {
                if (auto v = value(months[m], YamlReader::index_path(path + ".monthly", m), dimension)) {
                    values[m] = *v;
                } else {
                    ok = false;
                }
            }
            if (!ok) return std::nullopt;
            return infra::Profile::monthly(values, utc_offset_s);
        }
        if (node["day"] || node["night"] || node["night_hours"]) {
            if (!r_.check_mapping(node, path, {"day", "night", "night_hours"})) return std::nullopt;
            const auto day = value(r_.child(node, path, "day", true), path + ".day", dimension);
            const auto night = value(r_.child(node, path, "night", true), path + ".night", dimension);
            const YAML::Node hours = r_.child(node, path, "night_hours", true);
            std::optional<std::int64_t> from, to;
            if (hours && (!hours.IsSequence() || hours.size() != 2)) {
                r_.error(hours, path + ".night_hours", YamlReader::found(hours) + ", expected [start hour, end hour] like [22, 6]");
            } else if (hours) {
                from = r_.whole_number(hours[0], path + ".night_hours[0]", 0);
                to = r_.whole_number(hours[1], path + ".night_hours[1]", 0);
                if ((from && *from > 23) || (to && *to > 23) || (from && to && *from == *to)) {
                    r_.error(hours, path + ".night_hours", YamlReader::found(hours[0]) + " to " + YamlReader::found(hours[1]) +
                                                               ", expected two different hours from 0 to 23");
                    from.reset();
                }
            }
            if (!day || !night || !from || !to) return std::nullopt;
            return infra::Profile::day_night(*day, *night, static_cast<int>(*from), static_cast<int>(*to), utc_offset_s);
        }
        if (node["csv"]) {
            if (!r_.check_mapping(node, path, {"csv", "column", "time_column", "unit"})) return std::nullopt;
            const auto file = r_.text(node["csv"], path + ".csv", "a CSV file name");
            const auto column = r_.text(r_.child(node, path, "column", true), path + ".column", "a column name");
            std::string time_column = "time";
            if (YAML::Node t = node["time_column"]) {
                if (auto v = r_.text(t, path + ".time_column", "a column name")) time_column = *v;
            }
            double scale = 1;
            std::string unit = csv_unit;
            if (YAML::Node u = node["unit"]) {
                if (auto v = r_.text(u, path + ".unit", "a unit")) unit = *v;
            }
            if (!unit.empty()) {
                try {
                    scale = parse_quantity("1 " + unit, dimension, s_.currency);
                } catch (const UnitError& e) {
                    r_.error(node["unit"] ? node["unit"] : node, path + ".unit", e.what());
                    return std::nullopt;
                }
            }
            if (!file || !column || !horizon_ok_) return std::nullopt;
            const std::filesystem::path csv_path = base_directory_ / *file;
            try {
                return infra::Profile::from_csv(csv_path.string(), time_column, *column, s_.start_s).scaled(scale);
            } catch (const Error& e) {
                r_.error(node["csv"], path + ".csv", e.what());
            } catch (const std::invalid_argument& e) {
                r_.error(node["csv"], path + ".csv", e.what());
            }
            return std::nullopt;
        }
        r_.error(node, path, "a mapping with keys " + keys_of(node) + ", expected " + forms);
        return std::nullopt;
    }

    std::optional<infra::Profile> steps(const YAML::Node& list, const std::string& path, Dimension dimension,
                                        const std::string& value_key) {
        std::vector<std::pair<double, double>> points;
        bool ok = true;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string item_path = YamlReader::index_path(path, i);
            const YAML::Node item = list[i];
            if (!r_.check_mapping(item, item_path, {"from", value_key})) {
                ok = false;
                continue;
            }
            const auto from = r_.date(r_.child(item, item_path, "from", true), item_path + ".from");
            const auto v = value(r_.child(item, item_path, value_key, true), item_path + "." + value_key, dimension);
            if (!from || !v) {
                ok = false;
                continue;
            }
            if (!points.empty() && *from <= points.back().first) {
                r_.error(item["from"], item_path + ".from",
                         "'" + item["from"].Scalar() + "' is not after the previous step's " +
                             format_date(points.back().first) + ", expected the steps in date order");
                ok = false;
                continue;
            }
            points.emplace_back(*from, *v);
        }
        if (points.empty()) {
            if (ok) r_.error(list, path, "an empty list, expected at least one {from, " + value_key + "} step");
            return std::nullopt;
        }
        if (horizon_ok_ && points.front().first > s_.start_s) {
            r_.error(list[0]["from"], YamlReader::index_path(path, 0) + ".from",
                     "'" + list[0]["from"].Scalar() + "' is after the scenario start " + format_date(s_.start_s) +
                         ", expected the first step on or before it");
            ok = false;
        }
        if (!ok || !horizon_ok_) return std::nullopt;
        return infra::Profile::steps(std::move(points), s_.start_s);
    }

    /// One value of a site quantity: PUE and load are plain numbers (load may be a percentage), the
    /// others carry units. Ranges are checked on the whole profile by the caller.
    std::optional<double> value(const YAML::Node& node, const std::string& path, Dimension dimension) {
        if (!node) return std::nullopt;
        return r_.quantity(node, path, dimension, s_.currency);
    }

    std::string example(Dimension dimension) const {
        switch (dimension) {
        case Dimension::power: return "25 MW";
        case Dimension::energy_price: return "90 " + s_.currency.code + "/MWh";
        case Dimension::carbon_intensity: return "480 g/kWh";
        case Dimension::fraction: return "1.3";
        default: return "1";
        }
    }

    static std::string keys_of(const YAML::Node& map) {
        std::vector<std::string> keys;
        for (const auto& entry : map) keys.push_back(entry.first.Scalar());
        return join_alternatives(keys);
    }

    void read_sites(const YAML::Node& sites) {
        if (!sites) return;
        if (!r_.check_sequence(sites, "sites", "sites")) return;
        if (sites.size() == 0) r_.error(sites, "sites", "an empty list, expected at least one site");
        for (std::size_t i = 0; i < sites.size(); ++i) {
            const std::string path = YamlReader::index_path("sites", i);
            const YAML::Node node = sites[i];
            SiteSpec site;
            if (!r_.check_mapping(node, path, {"name", "country", "utc_offset", "grid", "pue", "electricity", "carbon",
                                               "load", "facility_capex", "facility_lifetime"})) {
                s_.sites.push_back(std::move(site));
                continue;
            }
            bool ok = true;
            if (auto name = r_.text(r_.child(node, path, "name", true), path + ".name", "a site name")) {
                for (const SiteSpec& other : s_.sites) {
                    if (other.name == *name) {
                        r_.error(node["name"], path + ".name", "'" + *name + "' is used by two sites, expected unique names");
                        ok = false;
                    }
                }
                site.name = *name;
            } else {
                ok = false;
            }
            if (YAML::Node v = r_.child(node, path, "country", false)) {
                if (auto c = r_.text(v, path + ".country", "a country code like AZ")) site.country = *c;
            }
            if (YAML::Node v = r_.child(node, path, "utc_offset", false)) {
                if (auto x = r_.signed_duration(v, path + ".utc_offset")) {
                    if (std::fabs(*x) > 14 * 3600.0) {
                        r_.error(v, path + ".utc_offset", YamlReader::found(v) + ", expected an offset from -14h to +14h");
                    } else {
                        site.utc_offset_s = *x;
                    }
                }
            }
            auto read_profile = [&](const char* key, Dimension dimension, const char* value_key, const char* csv_unit,
                                    infra::Profile& out, double min, const char* min_text) {
                const YAML::Node v = r_.child(node, path, key, true);
                if (!v) {
                    ok = false;
                    return;
                }
                auto p = profile(v, path + "." + key, dimension, value_key, site.utc_offset_s, csv_unit);
                if (!p) {
                    ok = false;
                    return;
                }
                if (p->min_value() < min) {
                    r_.error(v, path + "." + key, "takes the value " + format_number(p->min_value()) + ", expected " + min_text);
                    ok = false;
                    return;
                }
                out = std::move(*p);
            };
            read_profile("grid", Dimension::power, "capacity", "MW", site.grid_capacity_w, 0, "a capacity >= 0");
            read_profile("pue", Dimension::fraction, "value", "", site.pue, 1, "a PUE >= 1");
            if (site.pue.max_value() > 5) {
                r_.error(node["pue"], path + ".pue", "takes the value " + format_number(site.pue.max_value()) +
                                                         ", expected a PUE from 1 to 5");
            }
            read_profile("electricity", Dimension::energy_price, "value", (s_.currency.code + "/MWh").c_str(),
                         site.price_per_mwh, -INFINITY, "");
            read_profile("carbon", Dimension::carbon_intensity, "value", "g/kWh", site.carbon_g_per_kwh, 0,
                         "an intensity >= 0");
            if (YAML::Node v = r_.child(node, path, "load", false)) {
                if (auto p = profile(v, path + ".load", Dimension::fraction, "value", site.utc_offset_s, "")) {
                    if (p->min_value() < 0 || p->max_value() > 1) {
                        r_.error(v, path + ".load", "takes the value " +
                                                        format_number(p->min_value() < 0 ? p->min_value() : p->max_value()) +
                                                        ", expected a load from 0 to 1");
                    } else {
                        site.load = std::move(*p);
                    }
                }
            }
            if (YAML::Node v = r_.child(node, path, "facility_capex", false)) {
                if (auto x = capex_per_power(v, path + ".facility_capex")) site.facility_capex_per_w = *x;
            }
            site.facility_lifetime_s = 20 * seconds_per_year;
            if (YAML::Node v = r_.child(node, path, "facility_lifetime", false)) {
                if (auto x = r_.quantity(v, path + ".facility_lifetime", Dimension::duration, s_.currency)) {
                    if (*x > 0) site.facility_lifetime_s = *x;
                    else r_.error(v, path + ".facility_lifetime", YamlReader::found(v) + ", expected a duration > 0");
                }
            }
            (void)ok;
            s_.sites.push_back(std::move(site));
        }
    }

    /// "10e6 USD/MW" -> currency per W.
    std::optional<double> capex_per_power(const YAML::Node& node, const std::string& path) {
        if (node.IsScalar()) {
            const std::string text = node.Scalar();
            const std::size_t slash = text.rfind('/');
            if (slash != std::string::npos) {
                try {
                    const double money = parse_quantity(text.substr(0, slash), Dimension::money, s_.currency);
                    const double power = parse_quantity("1 " + text.substr(slash + 1), Dimension::power, s_.currency);
                    if (money >= 0) return money / power;
                } catch (const UnitError&) {
                }
            }
        }
        r_.error(node, path, YamlReader::found(node) + ", expected a cost per power like '10e6 " + s_.currency.code + "/MW'");
        return std::nullopt;
    }

    void read_buildout(const YAML::Node& orders) {
        if (!orders) return;
        if (!r_.check_sequence(orders, "buildout", "orders {site, node, count, ordered, ...}")) return;
        std::vector<std::string> site_names;
        for (const SiteSpec& site : s_.sites) site_names.push_back(site.name);
        for (std::size_t i = 0; i < orders.size(); ++i) {
            const std::string path = YamlReader::index_path("buildout", i);
            const YAML::Node node = orders[i];
            if (!r_.check_mapping(node, path, {"site", "node", "count", "ordered", "lead_time", "commissioning",
                                               "lifetime", "price"})) {
                continue;
            }
            OrderSpec order;
            bool ok = true;
            if (auto site = r_.text(r_.child(node, path, "site", true), path + ".site", "a site name")) {
                const auto it = std::find(site_names.begin(), site_names.end(), *site);
                if (it == site_names.end()) {
                    std::string message = "no site named '" + *site + "', expected one of " + join_alternatives(site_names);
                    if (auto near = nearest_name(*site, site_names)) message += "; did you mean '" + *near + "'?";
                    r_.error(node["site"], path + ".site", message);
                    ok = false;
                } else {
                    order.site = static_cast<std::size_t>(it - site_names.begin());
                }
            } else {
                ok = false;
            }
            const infra::NodeType* node_type = nullptr;
            if (auto name = r_.text(r_.child(node, path, "node", true), path + ".node", "a node type name")) {
                node_type = s_.catalog.find_node(*name);
                const bool declared = std::find(declared_nodes_.begin(), declared_nodes_.end(), *name) != declared_nodes_.end();
                if (!node_type && declared) {
                    ok = false; // its definition under catalog.nodes was reported already
                } else if (!node_type) {
                    const auto names = s_.catalog.node_names();
                    std::string message = "unknown node type '" + *name + "', expected one of " + join_alternatives(names);
                    if (auto near = nearest_name(*name, names)) message += "; did you mean '" + *near + "'?";
                    message += " (`capsim catalog` lists them; add your own under catalog.nodes)";
                    r_.error(node["node"], path + ".node", message);
                    ok = false;
                } else {
                    order.node = *name;
                    order.price_per_node = node_type->price;
                }
            } else {
                ok = false;
            }
            if (auto count = r_.whole_number(r_.child(node, path, "count", true), path + ".count", 1)) {
                order.count = *count;
            } else {
                ok = false;
            }
            if (auto t = r_.date(r_.child(node, path, "ordered", true), path + ".ordered")) {
                order.ordered_s = *t;
                if (horizon_ok_ && (*t < s_.start_s || *t >= s_.end_s)) {
                    r_.error(node["ordered"], path + ".ordered",
                             "'" + node["ordered"].Scalar() + "' is outside the scenario (" + format_date(s_.start_s) +
                                 " to " + format_date(s_.end_s - 1) + "), expected a date within it");
                    ok = false;
                }
            } else {
                ok = false;
            }
            auto duration = [&](const char* key, double& out) {
                if (YAML::Node v = r_.child(node, path, key, false)) {
                    if (auto x = r_.quantity(v, path + "." + key, Dimension::duration, s_.currency)) {
                        out = *x;
                    } else {
                        ok = false;
                    }
                }
            };
            duration("lead_time", order.lead_time_s);
            duration("commissioning", order.commissioning_s);
            duration("lifetime", order.lifetime_s);
            if (YAML::Node v = node["lifetime"]; v && order.lifetime_s <= 0) {
                r_.error(v, path + ".lifetime", YamlReader::found(v) + ", expected a duration > 0");
                ok = false;
            }
            if (YAML::Node v = r_.child(node, path, "price", false)) {
                const auto x = r_.quantity(v, path + ".price", Dimension::money, s_.currency);
                if (x && *x < 0) r_.error(v, path + ".price", YamlReader::found(v) + ", expected a price >= 0");
                if (x && *x >= 0) {
                    order.price_per_node = *x;
                } else {
                    ok = false;
                }
            }
            if (ok) s_.buildout.push_back(order);
        }
    }

    YamlReader& r_;
    Scenario& s_;
    std::filesystem::path base_directory_;
    bool horizon_ok_ = false;
    std::vector<std::string> declared_nodes_; // node types the scenario defines, valid or not
};

struct TextPosition {
    int line = 0;   // 1-based
    int column = 0; // 1-based
    char bracket = 0;
};

/// The innermost '{' or '[' that is never closed, ignoring quoted text and comments. yaml-cpp reports
/// an unclosed flow collection where it gave up (often past the end of the file); the opening
/// bracket is where the user must look.
std::optional<TextPosition> unclosed_bracket(std::string_view text) {
    std::vector<TextPosition> open;
    int line = 1, column = 0;
    char quote = 0;
    bool comment = false;
    char previous = '\n';
    for (const char c : text) {
        ++column;
        if (c == '\n') {
            ++line;
            column = 0;
            comment = false;
            quote = 0; // flow scalars rarely span lines in scenarios; do not let one quote hide the rest
        } else if (comment) {
        } else if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#' && (previous == ' ' || previous == '\t' || previous == '\n')) {
            comment = true;
        } else if (c == '{' || c == '[') {
            open.push_back({line, column, c});
        } else if ((c == '}' || c == ']') && !open.empty()) {
            open.pop_back();
        }
        previous = c;
    }
    if (open.empty()) return std::nullopt;
    return open.back();
}

Diagnostic yaml_syntax_error(const YAML::ParserException& e, std::string_view text, const std::string& source) {
    Diagnostic d;
    d.file = source;
    d.line = e.mark.line + 1;
    d.column = e.mark.column + 1;
    d.message = "not valid YAML: " + e.msg;
    const bool unclosed = e.msg.find("end of map flow not found") != std::string::npos ||
                          e.msg.find("end of sequence flow not found") != std::string::npos;
    if (unclosed) {
        if (auto at = unclosed_bracket(text)) {
            d.line = at->line;
            d.column = at->column;
            d.message = at->bracket == '{'
                            ? "not valid YAML: the '{' here is never closed, expected a '}' to end the mapping"
                            : "not valid YAML: the '[' here is never closed, expected a ']' to end the list";
            return d;
        }
    }
    // Never point past the last line of the file.
    const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
                      (text.empty() || text.back() == '\n' ? 0 : 1);
    if (d.line > lines && lines > 0) {
        d.line = lines;
        d.column = 1;
    }
    return d;
}

} // namespace

Scenario parse_scenario(std::string_view text, const std::string& source, const std::vector<std::string>& overrides,
                        const std::filesystem::path& base_directory) {
    Scenario scenario;
    scenario.source = source;
    scenario.text = std::string(text);
    scenario.overrides = overrides;
    scenario.catalog = infra::HardwareCatalog::built_in();
    Diagnostics diagnostics;
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
        diagnostics.add(yaml_syntax_error(e, text, source));
        throw ScenarioError(std::move(diagnostics));
    }
    const auto origins = detail::apply_overrides(root, overrides, diagnostics);
    YamlReader reader(source, origins, diagnostics);
    if (!root.IsMap()) {
        reader.error(root, "", YamlReader::found(root) + ", expected a scenario: a mapping with keys " +
                                   join_alternatives(top_level_keys));
    } else {
        ScenarioReader(reader, scenario, base_directory).read(root);
    }
    if (!diagnostics.empty()) throw ScenarioError(std::move(diagnostics));
    return scenario;
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("cannot open scenario '" + path + "': " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    const std::filesystem::path base = std::filesystem::path(path).parent_path();
    return parse_scenario(text.str(), path, overrides, base.empty() ? std::filesystem::path(".") : base);
}

} // namespace capsim::scenario
