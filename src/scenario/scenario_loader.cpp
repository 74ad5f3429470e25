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

#include "capsim/sched/policy_registry.hpp"
#include "capsim/util/calendar.hpp"
#include "capsim/workload/swf_reader.hpp"
#include "capsim/util/strings.hpp"
#include "overrides.hpp"
#include "yaml_reader.hpp"

namespace capsim::scenario {
namespace {

using detail::YamlReader;

constexpr double seconds_per_year = 365.25 * 86400;

// `replications` and `sweep` belong to the study (study.cpp), which reads the same file: a scenario
// accepts them and leaves them alone.
const std::vector<std::string> top_level_keys = {"name",    "description", "start",     "end",       "seed",
                                                 "output",  "finance",     "power",     "catalog",   "sites",
                                                 "buildout", "tenants",    "workloads", "scheduler", "replications",
                                                 "sweep"};

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
        read_tenants(r_.child(root, "", "tenants", false));
        read_workloads(r_.child(root, "", "workloads", false));
        read_scheduler(r_.child(root, "", "scheduler", false));
        if (!s_.workloads.empty() && s_.tenants.empty()) {
            r_.error(root["workloads"], "tenants", "missing, expected the tenants that the workloads belong to");
        }
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
        if (!r_.check_mapping(node, "output", {"timestep", "jobs", "replications"})) return;
        if (YAML::Node mode = r_.child(node, "output", "replications", false)) {
            const std::string text = mode.IsScalar() ? mode.Scalar() : "";
            if (text == "raw") s_.replication_output = ReplicationOutput::raw;
            else if (text == "stats") s_.replication_output = ReplicationOutput::stats;
            else if (text == "both") s_.replication_output = ReplicationOutput::both;
            else r_.error(mode, "output.replications", YamlReader::found(mode) + ", expected raw, stats or both");
        }
        if (YAML::Node jobs = r_.child(node, "output", "jobs", false)) {
            if (jobs.IsScalar() && (jobs.Scalar() == "true" || jobs.Scalar() == "false")) {
                s_.write_jobs = jobs.Scalar() == "true";
            } else {
                r_.error(jobs, "output.jobs", YamlReader::found(jobs) + ", expected true or false");
            }
        }
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
            if (auto name = r_.text(r_.child(node, path, "name", true), path + ".name", "a site name")) {
                for (const SiteSpec& other : s_.sites) {
                    if (other.name == *name) {
                        r_.error(node["name"], path + ".name", "'" + *name + "' is used by two sites, expected unique names");
                    }
                }
                site.name = *name;
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
                if (!v) return;
                auto p = profile(v, path + "." + key, dimension, value_key, site.utc_offset_s, csv_unit);
                if (!p) return;
                if (p->min_value() < min) {
                    r_.error(v, path + "." + key, "takes the value " + format_number(p->min_value()) + ", expected " + min_text);
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
            // Kept even when invalid, so that orders naming it are not reported as well.
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

    // ---- tenants, workloads, scheduler ----

    void read_tenants(const YAML::Node& list) {
        if (!list) return;
        if (!r_.check_sequence(list, "tenants", "tenants {name, share}")) return;
        double total = 0;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string path = YamlReader::index_path("tenants", i);
            const YAML::Node node = list[i];
            if (!r_.check_mapping(node, path, {"name", "share"})) continue;
            TenantSpec tenant;
            if (auto name = r_.text(r_.child(node, path, "name", true), path + ".name", "a tenant name")) {
                for (const auto& other : s_.tenants) {
                    if (other.name == *name) {
                        r_.error(node["name"], path + ".name", "'" + *name + "' is used by two tenants, expected unique names");
                    }
                }
                tenant.name = *name;
            }
            if (auto share = r_.quantity(r_.child(node, path, "share", true), path + ".share", Dimension::fraction, s_.currency)) {
                if (*share <= 0) {
                    r_.error(node["share"], path + ".share", YamlReader::found(node["share"]) + ", expected a share > 0");
                } else {
                    tenant.share = *share;
                    total += *share;
                }
            }
            s_.tenants.push_back(tenant);
        }
        for (auto& t : s_.tenants) t.share = total > 0 ? t.share / total : 0; // shares are relative
    }

    std::vector<std::string> tenant_names() const {
        std::vector<std::string> names;
        for (const auto& t : s_.tenants) names.push_back(t.name);
        return names;
    }

    std::optional<std::size_t> name_index(const YAML::Node& node, const std::string& path,
                                          const std::vector<std::string>& names, const char* what) {
        const auto name = r_.text(node, path, std::string("a ") + what + " name");
        if (!name) return std::nullopt;
        const auto it = std::find(names.begin(), names.end(), *name);
        if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
        std::string message = "no " + std::string(what) + " named '" + *name + "', expected one of " + join_alternatives(names);
        if (auto near = nearest_name(*name, names)) message += "; did you mean '" + *near + "'?";
        r_.error(node, path, message);
        return std::nullopt;
    }

    /// A distribution: a value, or {fixed | uniform | exponential | lognormal | choice | empirical}.
    /// Values carry the quantity's unit (a duration: '20min') or none (a count, FLOP).
    std::optional<workload::Distribution> distribution(const YAML::Node& node, const std::string& path,
                                                       std::optional<Dimension> dimension) {
        auto value = [&](const YAML::Node& v, const std::string& p) -> std::optional<double> {
            if (dimension) return r_.quantity(v, p, *dimension, s_.currency);
            return r_.number(v, p, -INFINITY, INFINITY);
        };
        const std::string forms = "a value, {fixed: V}, {uniform: [LOW, HIGH]}, {exponential: {mean: V}}, "
                                  "{lognormal: {median: V, sigma: S}} or {lognormal: {mean: V, cv: C}}, "
                                  "{choice: [V, ...], weights: [W, ...]} or {empirical: {csv: FILE, column: NAME}}";
        try {
            if (node.IsScalar()) {
                if (auto v = value(node, path)) return workload::Distribution::fixed(*v);
                return std::nullopt;
            }
            if (!node.IsMap()) {
                r_.error(node, path, YamlReader::found(node) + ", expected " + forms);
                return std::nullopt;
            }
            if (node["fixed"]) {
                if (!r_.check_mapping(node, path, {"fixed"})) return std::nullopt;
                if (auto v = value(node["fixed"], path + ".fixed")) return workload::Distribution::fixed(*v);
                return std::nullopt;
            }
            if (node["uniform"]) {
                if (!r_.check_mapping(node, path, {"uniform"})) return std::nullopt;
                const YAML::Node range = node["uniform"];
                if (!range.IsSequence() || range.size() != 2) {
                    r_.error(range, path + ".uniform", YamlReader::found(range) + ", expected [LOW, HIGH]");
                    return std::nullopt;
                }
                const auto low = value(range[0], path + ".uniform[0]");
                const auto high = value(range[1], path + ".uniform[1]");
                if (!low || !high) return std::nullopt;
                if (*high < *low) {
                    r_.error(range, path + ".uniform", "the high end is below the low end, expected [LOW, HIGH]");
                    return std::nullopt;
                }
                return workload::Distribution::uniform(*low, *high);
            }
            if (node["exponential"]) {
                if (!r_.check_mapping(node, path, {"exponential"})) return std::nullopt;
                YAML::Node mean = node["exponential"];
                std::string mean_path = path + ".exponential";
                if (mean.IsMap()) {
                    if (!r_.check_mapping(mean, mean_path, {"mean"})) return std::nullopt;
                    mean = r_.child(mean, mean_path, "mean", true);
                    mean_path += ".mean";
                }
                const auto m = value(mean, mean_path);
                if (!m) return std::nullopt;
                if (*m <= 0) {
                    r_.error(mean, mean_path, YamlReader::found(mean) + ", expected a mean > 0");
                    return std::nullopt;
                }
                return workload::Distribution::exponential(*m);
            }
            if (node["lognormal"]) {
                if (!r_.check_mapping(node, path, {"lognormal"})) return std::nullopt;
                const YAML::Node p = node["lognormal"];
                const std::string lp = path + ".lognormal";
                if (!r_.check_mapping(p, lp, {"median", "sigma", "mean", "cv"})) return std::nullopt;
                if ((p["median"] || p["sigma"]) && (p["mean"] || p["cv"])) {
                    r_.error(p, lp, "both {median, sigma} and {mean, cv}, expected one of the two forms");
                    return std::nullopt;
                }
                if (p["median"] || p["sigma"]) {
                    const auto median = value(r_.child(p, lp, "median", true), lp + ".median");
                    const auto sigma = r_.number(r_.child(p, lp, "sigma", true), lp + ".sigma", 0, 10);
                    if (!median || !sigma) return std::nullopt;
                    if (*median <= 0) {
                        r_.error(p["median"], lp + ".median", YamlReader::found(p["median"]) + ", expected a median > 0");
                        return std::nullopt;
                    }
                    return workload::Distribution::lognormal_median(*median, *sigma);
                }
                const auto mean = value(r_.child(p, lp, "mean", true), lp + ".mean");
                const auto cv = r_.number(r_.child(p, lp, "cv", true), lp + ".cv", 0, 100);
                if (!mean || !cv) return std::nullopt;
                if (*mean <= 0) {
                    r_.error(p["mean"], lp + ".mean", YamlReader::found(p["mean"]) + ", expected a mean > 0");
                    return std::nullopt;
                }
                return workload::Distribution::lognormal_mean(*mean, *cv);
            }
            if (node["choice"]) {
                if (!r_.check_mapping(node, path, {"choice", "weights"})) return std::nullopt;
                const YAML::Node values = node["choice"];
                const YAML::Node weights = r_.child(node, path, "weights", false);
                if (!values.IsSequence() || values.size() == 0) {
                    r_.error(values, path + ".choice", YamlReader::found(values) + ", expected a list of values");
                    return std::nullopt;
                }
                std::vector<double> v, w;
                bool ok = true;
                for (std::size_t i = 0; i < values.size(); ++i) {
                    if (auto x = value(values[i], YamlReader::index_path(path + ".choice", i))) v.push_back(*x);
                    else ok = false;
                }
                if (weights) {
                    if (!weights.IsSequence() || weights.size() != values.size()) {
                        r_.error(weights, path + ".weights", YamlReader::found(weights) + ", expected " +
                                                                 std::to_string(values.size()) + " weights, one per value");
                        return std::nullopt;
                    }
                    for (std::size_t i = 0; i < weights.size(); ++i) {
                        if (auto x = r_.number(weights[i], YamlReader::index_path(path + ".weights", i), 0, INFINITY)) w.push_back(*x);
                        else ok = false;
                    }
                } else {
                    w.assign(v.size(), 1.0);
                }
                if (!ok) return std::nullopt;
                return workload::Distribution::choice(v, w);
            }
            if (node["empirical"]) {
                if (!r_.check_mapping(node, path, {"empirical"})) return std::nullopt;
                const YAML::Node e = node["empirical"];
                const std::string ep = path + ".empirical";
                if (!r_.check_mapping(e, ep, {"csv", "column"})) return std::nullopt;
                const auto file = r_.text(r_.child(e, ep, "csv", true), ep + ".csv", "a CSV file name");
                const auto column = r_.text(r_.child(e, ep, "column", true), ep + ".column", "a column name");
                if (!file || !column) return std::nullopt;
                try {
                    return workload::Distribution::empirical_from_csv((base_directory_ / *file).string(), *column);
                } catch (const Error& err) {
                    r_.error(e["csv"], ep + ".csv", err.what());
                    return std::nullopt;
                }
            }
            r_.error(node, path, "a mapping with keys " + keys_of(node) + ", expected " + forms);
        } catch (const std::invalid_argument& e) {
            r_.error(node, path, e.what());
        }
        return std::nullopt;
    }

    void read_workloads(const YAML::Node& list) {
        if (!list) return;
        if (!r_.check_sequence(list, "workloads", "workloads")) return;
        const std::vector<std::string> classes = {"training", "fine-tuning", "research", "inference", "urgent"};
        const std::vector<JobClass> class_values = {JobClass::training, JobClass::fine_tuning, JobClass::research,
                                                    JobClass::inference, JobClass::urgent};
        const double class_load[] = {0.9, 0.85, 0.6, 0.5, 0.9}; // GPU load while busy, by class
        std::vector<std::string> site_names, names;
        for (const auto& site : s_.sites) site_names.push_back(site.name);
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string path = YamlReader::index_path("workloads", i);
            const YAML::Node node = list[i];
            // Each form takes only its own keys: a key another form uses would be silently ignored.
            const std::vector<std::string> common = {"name", "tenant", "class", "load", "sites", "gpu_types"};
            std::vector<std::string> allowed = common;
            if (node.IsMap() && node["reservation"]) {
                allowed = {"name", "tenant", "class", "load", "reservation"};
            } else if (node.IsMap() && node["trace"]) {
                allowed.push_back("trace");
            } else {
                for (const char* k : {"arrivals", "gpus", "work", "duration", "mfu", "estimate"}) allowed.push_back(k);
            }
            if (!r_.check_mapping(node, path, allowed)) continue;
            WorkloadSpec w;
            bool ok = true;
            if (auto name = r_.text(r_.child(node, path, "name", true), path + ".name", "a workload name")) {
                if (std::find(names.begin(), names.end(), *name) != names.end()) {
                    r_.error(node["name"], path + ".name", "'" + *name + "' is used by two workloads, expected unique names");
                    ok = false;
                }
                w.name = *name;
                names.push_back(*name);
                // The stream follows the name, not the position: adding a workload leaves the others' draws alone.
                std::uint64_t h = 1469598103934665603ull;
                for (const char c : *name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
                w.stream = h;
            } else {
                ok = false;
            }
            if (auto t = name_index(r_.child(node, path, "tenant", true), path + ".tenant", tenant_names(), "tenant")) {
                w.tenant = *t;
            } else {
                ok = false;
            }
            const YAML::Node reservation = node["reservation"];
            const YAML::Node trace = node["trace"];
            std::size_t class_index = 2; // research
            if (YAML::Node c = r_.child(node, path, "class", !trace)) {
                if (auto k = name_index(c, path + ".class", classes, "class")) class_index = *k;
                else ok = false;
            }
            w.job_class = class_values[class_index];
            w.load = class_load[class_index];
            if (YAML::Node v = node["load"]) {
                const auto x = r_.quantity(v, path + ".load", Dimension::fraction, s_.currency);
                if (x && (*x < 0 || *x > 1)) r_.error(v, path + ".load", YamlReader::found(v) + ", expected a load from 0 to 1");
                if (x && *x >= 0 && *x <= 1) w.load = *x;
                else ok = false;
            }
            if (YAML::Node v = node["sites"]) {
                if (r_.check_sequence(v, path + ".sites", "site names")) {
                    for (std::size_t k = 0; k < v.size(); ++k) {
                        if (auto si = name_index(v[k], YamlReader::index_path(path + ".sites", k), site_names, "site")) w.sites.push_back(*si);
                        else ok = false;
                    }
                }
            }
            if (YAML::Node v = node["gpu_types"]) {
                if (r_.check_sequence(v, path + ".gpu_types", "GPU model names")) {
                    for (std::size_t k = 0; k < v.size(); ++k) {
                        if (auto gi = name_index(v[k], YamlReader::index_path(path + ".gpu_types", k), s_.catalog.gpu_names(), "GPU")) {
                            w.gpu_types.push_back(s_.catalog.gpu_names()[*gi]);
                        } else {
                            ok = false;
                        }
                    }
                }
            }
            if (reservation) {
                if (w.job_class != JobClass::inference) {
                    r_.error(reservation, path + ".reservation", "a reservation for a workload of class '" +
                                                                  classes[class_index] + "', expected class 'inference'");
                    ok = false;
                }
                ok = read_reservation(reservation, path + ".reservation", site_names, w) && ok;
            } else if (trace) {
                ok = read_trace(trace, path + ".trace", w) && ok;
            } else {
                ok = read_generated(node, path, w) && ok;
            }
            if (ok) s_.workloads.push_back(std::move(w));
        }
    }

    bool read_reservation(const YAML::Node& node, const std::string& path, const std::vector<std::string>& site_names,
                          WorkloadSpec& w) {
        if (!r_.check_mapping(node, path, {"gpus", "from", "to", "site"})) return false;
        WorkloadSpec::Reservation res;
        const auto g = r_.whole_number(r_.child(node, path, "gpus", true), path + ".gpus", 1);
        const auto from = r_.date(r_.child(node, path, "from", true), path + ".from");
        const auto to = r_.date(r_.child(node, path, "to", true), path + ".to");
        const auto site = name_index(r_.child(node, path, "site", true), path + ".site", site_names, "site");
        if (!g || !from || !to || !site) return false;
        const bool to_is_date = node["to"].IsScalar() && trim(node["to"].Scalar()).size() == 10;
        res.gpus = static_cast<int>(*g);
        res.from_s = *from;
        res.to_s = *to + (to_is_date ? 86400.0 : 0.0); // a plain date holds through that day
        res.site = *site;
        if (res.to_s <= res.from_s) {
            r_.error(node["to"], path + ".to", "'" + node["to"].Scalar() + "' is not after 'from', expected a later date");
            return false;
        }
        w.reservation = res;
        w.gpus = workload::Distribution::fixed(res.gpus);
        return true;
    }

    bool read_generated(const YAML::Node& node, const std::string& path, WorkloadSpec& w) {
        bool ok = true;
        const YAML::Node arrivals = r_.child(node, path, "arrivals", true);
        if (arrivals) {
            const std::string ap = path + ".arrivals";
            if (r_.check_mapping(arrivals, ap, {"rate", "growth", "daily_cycle", "weekly_cycle", "from", "to"})) {
                if (YAML::Node f = arrivals["from"]) {
                    if (auto t = r_.date(f, ap + ".from")) w.arrivals_from_s = *t;
                    else ok = false;
                }
                if (YAML::Node t = arrivals["to"]) {
                    if (auto x = r_.date(t, ap + ".to")) {
                        w.arrivals_to_s = *x + (trim(t.Scalar()).size() == 10 ? 86400.0 : 0.0);
                        if (w.arrivals_to_s <= w.arrivals_from_s) {
                            r_.error(t, ap + ".to", "'" + t.Scalar() + "' is not after 'from', expected a later date");
                            ok = false;
                        }
                    } else {
                        ok = false;
                    }
                }
                workload::ArrivalSpec spec;
                spec.t0_s = s_.start_s;
                if (!w.sites.empty()) spec.utc_offset_s = s_.sites[w.sites.front()].utc_offset_s;
                auto parse = [&](const YAML::Node& v, const std::string& p, auto&& f, const char* expected) -> std::optional<double> {
                    if (!v.IsScalar()) {
                        r_.error(v, p, YamlReader::found(v) + ", expected " + expected);
                        return std::nullopt;
                    }
                    try {
                        return f(v.Scalar());
                    } catch (const std::invalid_argument& e) {
                        r_.error(v, p, e.what());
                        return std::nullopt;
                    }
                };
                if (auto rate = parse(r_.child(arrivals, ap, "rate", true), ap + ".rate", workload::parse_rate_per_s, "a rate like '400/day'")) {
                    spec.rate_per_s = *rate;
                } else {
                    ok = false;
                }
                if (YAML::Node g = arrivals["growth"]) {
                    if (auto x = parse(g, ap + ".growth", workload::parse_growth_per_year, "a growth like '35%/year'")) spec.growth_per_year = *x;
                    else ok = false;
                }
                if (YAML::Node d = arrivals["daily_cycle"]) {
                    if (auto i = name_index(d, ap + ".daily_cycle", workload::daily_cycle_names(), "daily cycle")) {
                        spec.daily = workload::daily_cycle(workload::daily_cycle_names()[*i]);
                    } else {
                        ok = false;
                    }
                }
                if (YAML::Node d = arrivals["weekly_cycle"]) {
                    if (auto i = name_index(d, ap + ".weekly_cycle", workload::weekly_cycle_names(), "weekly cycle")) {
                        spec.weekly = workload::weekly_cycle(workload::weekly_cycle_names()[*i]);
                    } else {
                        ok = false;
                    }
                }
                w.arrivals = spec;
            } else {
                ok = false;
            }
        } else {
            ok = false;
        }
        if (YAML::Node g = r_.child(node, path, "gpus", true)) {
            if (auto d = distribution(g, path + ".gpus", std::nullopt)) {
                if (d->min_value() < 1) {
                    r_.error(g, path + ".gpus", "can take the value " + format_number(d->min_value()) + ", expected at least 1 GPU");
                    ok = false;
                }
                w.gpus = *d;
            } else {
                ok = false;
            }
        } else {
            ok = false;
        }
        const YAML::Node work = node["work"];
        const YAML::Node duration = node["duration"];
        if (work && duration) {
            r_.error(duration, path + ".duration", "given with 'work', expected one of them: work in FLOPs or GPU-hours, or a plain duration");
            ok = false;
        } else if (duration) {
            if (auto d = distribution(duration, path + ".duration", Dimension::duration)) {
                if (d->max_value() <= 0) {
                    r_.error(duration, path + ".duration", "is always 0, expected durations > 0");
                    ok = false;
                }
                w.work.kind = WorkSpec::Kind::duration;
                w.work.amount = *d;
            } else {
                ok = false;
            }
        } else if (work) {
            const std::string wp = path + ".work";
            if (!r_.check_mapping(work, wp, {"flops", "gpu_hours", "reference"})) return false;
            if (work["flops"]) {
                if (auto d = distribution(work["flops"], wp + ".flops", std::nullopt)) {
                    w.work.kind = WorkSpec::Kind::flops;
                    w.work.amount = *d;
                } else {
                    ok = false;
                }
            } else if (work["gpu_hours"]) {
                if (auto d = distribution(work["gpu_hours"], wp + ".gpu_hours", std::nullopt)) {
                    w.work.kind = WorkSpec::Kind::gpu_hours;
                    w.work.amount = *d;
                } else {
                    ok = false;
                }
                if (auto gi = name_index(r_.child(work, wp, "reference", true), wp + ".reference", s_.catalog.gpu_names(), "GPU")) {
                    w.work.reference_peak_flops = s_.catalog.find_gpu(s_.catalog.gpu_names()[*gi])->peak_bf16_flops;
                } else {
                    ok = false;
                }
            } else {
                r_.error(work, wp, "a mapping with keys " + keys_of(work) + ", expected {flops: DIST} or {gpu_hours: DIST, reference: GPU}");
                ok = false;
            }
            if ((w.work.amount.min_value() < 0 || w.work.amount.max_value() <= 0) && ok) {
                r_.error(work, wp, "can take the value " + format_number(w.work.amount.min_value()) + ", expected work > 0");
                ok = false;
            }
        } else {
            r_.error(node, path + ".work", "missing, expected work ({flops: ...} or {gpu_hours: ..., reference: ...}) or a duration");
            ok = false;
        }
        if (YAML::Node m = node["mfu"]) {
            const auto x = r_.quantity(m, path + ".mfu", Dimension::fraction, s_.currency);
            if (x && (*x <= 0 || *x > 1)) r_.error(m, path + ".mfu", YamlReader::found(m) + ", expected an MFU above 0 and at most 1");
            if (x && *x > 0 && *x <= 1) w.work.mfu = *x;
            else ok = false;
            if (w.work.kind != WorkSpec::Kind::flops) {
                r_.error(m, path + ".mfu", "given for work that is not in FLOPs, expected it only with work: {flops: ...}");
                ok = false;
            }
        }
        if (YAML::Node e = node["estimate"]) {
            const std::string ep = path + ".estimate";
            if (e.IsScalar() && e.Scalar() == "exact") {
                w.estimate_factor.reset();
            } else if (e.IsMap() && r_.check_mapping(e, ep, {"factor"})) {
                if (auto d = distribution(r_.child(e, ep, "factor", true), ep + ".factor", std::nullopt)) {
                    if (d->min_value() < 1) {
                        r_.error(e["factor"], ep + ".factor", "can take the value " + format_number(d->min_value()) +
                                                                  ", expected factors >= 1 (a job is killed at its requested time)");
                        ok = false;
                    }
                    w.estimate_factor = *d;
                } else {
                    ok = false;
                }
            } else if (!e.IsMap()) {
                r_.error(e, ep, YamlReader::found(e) + ", expected 'exact' or {factor: DIST}");
                ok = false;
            }
        }
        return ok;
    }

    /// A trace of jobs mapped onto the tenant: SWF (submit, processors as GPUs, run time) or a CSV
    /// file with named columns (submit in seconds from the scenario start, GPUs, duration in seconds).
    bool read_trace(const YAML::Node& node, const std::string& path, WorkloadSpec& w) {
        if (!r_.check_mapping(node, path, {"file", "format", "columns"})) return false;
        const auto file = r_.text(r_.child(node, path, "file", true), path + ".file", "a trace file name");
        std::string format = "swf";
        if (YAML::Node f = node["format"]) {
            if (auto i = name_index(f, path + ".format", {"swf", "csv"}, "trace format")) format = *i == 0 ? "swf" : "csv";
            else return false;
        }
        if (!file) return false;
        const std::string full = (base_directory_ / *file).string();
        try {
            if (format == "swf") {
                const workload::SwfTrace trace = workload::read_swf_file(full);
                for (const auto& record : trace.records) {
                    const std::int64_t procs = record.requested_processors > 0 ? record.requested_processors : record.allocated_processors;
                    double run = record.run_s;
                    if (record.requested_time_s > 0) run = std::min(run, record.requested_time_s);
                    if (run <= 0 || procs <= 0) continue; // as the replay skips them
                    // As in the replay: the requested time is the estimate, and the job is killed there.
                    const double estimate = record.requested_time_s > 0 ? record.requested_time_s : run;
                    w.trace.push_back({s_.start_s + record.submit_s, static_cast<int>(procs), run, estimate});
                }
            } else {
                const YAML::Node columns = r_.child(node, path, "columns", true);
                if (!columns || !r_.check_mapping(columns, path + ".columns", {"submit", "gpus", "duration"})) return false;
                const auto submit = r_.text(r_.child(columns, path + ".columns", "submit", true), path + ".columns.submit", "a column name");
                const auto gpus = r_.text(r_.child(columns, path + ".columns", "gpus", true), path + ".columns.gpus", "a column name");
                const auto dur = r_.text(r_.child(columns, path + ".columns", "duration", true), path + ".columns.duration", "a column name");
                if (!submit || !gpus || !dur) return false;
                const auto submits = workload::Distribution::empirical_from_csv(full, *submit);
                const auto g = workload::Distribution::empirical_from_csv(full, *gpus);
                const auto d = workload::Distribution::empirical_from_csv(full, *dur);
                for (std::size_t k = 0; k < submits.values().size(); ++k) {
                    if (g.values()[k] < 1 || d.values()[k] <= 0) continue;
                    w.trace.push_back({s_.start_s + submits.values()[k], static_cast<int>(g.values()[k]), d.values()[k],
                                       d.values()[k]});
                }
            }
        } catch (const Error& e) {
            r_.error(node["file"], path + ".file", e.what());
            return false;
        }
        std::stable_sort(w.trace.begin(), w.trace.end(), [](const auto& a, const auto& b) { return a.submit_s < b.submit_s; });
        w.gpus = workload::Distribution::fixed(1);
        return true;
    }

    void read_scheduler(const YAML::Node& node) {
        if (!node) return;
        if (!r_.check_mapping(node, "scheduler", {"policy", "order", "fairshare", "max_walltime", "urgent"})) return;
        if (YAML::Node p = node["policy"]) {
            if (auto i = name_index(p, "scheduler.policy", sched::policy_names(), "policy")) {
                s_.scheduler.policy = sched::policy_names()[*i];
            }
        }
        if (YAML::Node o = node["order"]) {
            if (auto i = name_index(o, "scheduler.order", {"fifo", "sjf", "fairshare", "priority"}, "queue order")) {
                s_.scheduler.order = static_cast<SchedulerSpec::Order>(*i);
            }
        }
        if (YAML::Node f = node["fairshare"]) {
            if (r_.check_mapping(f, "scheduler.fairshare", {"halflife"})) {
                if (auto h = r_.quantity(r_.child(f, "scheduler.fairshare", "halflife", true), "scheduler.fairshare.halflife",
                                         Dimension::duration, s_.currency)) {
                    if (*h > 0) s_.scheduler.fairshare_halflife_s = *h;
                    else r_.error(f["halflife"], "scheduler.fairshare.halflife", YamlReader::found(f["halflife"]) + ", expected a duration > 0");
                }
            }
        }
        if (YAML::Node m = node["max_walltime"]) {
            if (auto x = r_.quantity(m, "scheduler.max_walltime", Dimension::duration, s_.currency)) {
                if (*x > 0) s_.scheduler.max_walltime_s = *x;
                else r_.error(m, "scheduler.max_walltime", YamlReader::found(m) + ", expected a duration > 0");
            }
        }
        if (YAML::Node u = node["urgent"]) {
            if (auto i = name_index(u, "scheduler.urgent", {"preempt", "front-of-queue"}, "urgent mode")) {
                s_.scheduler.urgent = *i == 0 ? SchedulerSpec::Urgent::preempt : SchedulerSpec::Urgent::front_of_queue;
            }
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
    if (!overrides.empty()) {
        YAML::Emitter resolved;
        resolved << root;
        scenario.resolved_text = resolved.c_str();
    } else {
        scenario.resolved_text = scenario.text;
    }
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

ScenarioFile read_scenario_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("cannot open scenario '" + path + "': " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    const std::filesystem::path base = std::filesystem::path(path).parent_path();
    return {text.str(), base.empty() ? std::filesystem::path(".") : base};
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
    const ScenarioFile file = read_scenario_file(path);
    return parse_scenario(file.text, path, overrides, file.base_directory);
}

} // namespace capsim::scenario
