// The scenario-wide settings: the horizon (start, end), output, finance and power.
#include <algorithm>
#include <cmath>

#include "capsim/util/calendar.hpp"
#include "capsim/util/strings.hpp"
#include "diagnostic_messages.hpp"
#include "section_readers.hpp"

namespace capsim::scenario::detail {

void read_horizon(SectionContext& context, const YAML::Node& root) {
    YamlReader& reader = context.reader;
    Scenario& scenario = context.scenario;
    const YAML::Node start = reader.child(root, "", "start", true);
    const YAML::Node end = reader.child(root, "", "end", true);
    // (value_or keeps GCC 12 from a false maybe-uninitialized warning on optional<double>.)
    const auto start_s = reader.date(start, "start");
    const auto end_s = reader.date(end, "end");
    scenario.start_s = start_s.value_or(0.0);
    // A plain end date is the last day simulated: the horizon runs to the end of that day.
    scenario.end_s = end_of_period(end, end_s.value_or(0.0));
    context.horizon_ok = start_s.has_value() && end_s.has_value();
    if (context.horizon_ok && scenario.end_s <= scenario.start_s) {
        reader.error(end, "end", not_after(end, "the start " + format_date(scenario.start_s)));
        context.horizon_ok = false;
    }
}

void read_output(SectionContext& context, const YAML::Node& node) {
    if (!node) return;
    YamlReader& reader = context.reader;
    Scenario& scenario = context.scenario;
    if (!reader.check_mapping(node, "output", {"timestep", "jobs", "replications"})) return;
    if (YAML::Node mode = reader.child(node, "output", "replications", false)) {
        const std::string text = mode.IsScalar() ? mode.Scalar() : "";
        if (text == "raw") scenario.replication_output = ReplicationOutput::raw;
        else if (text == "stats") scenario.replication_output = ReplicationOutput::stats;
        else if (text == "both") scenario.replication_output = ReplicationOutput::both;
        else reader.error(mode, "output.replications", found_instead_of(mode, "raw, stats or both"));
    }
    if (auto jobs = reader.boolean(reader.child(node, "output", "jobs", false), "output.jobs")) {
        scenario.write_jobs = *jobs;
    }
    if (YAML::Node step = reader.child(node, "output", "timestep", false)) {
        if (auto v = context.quantity(step, "output.timestep", Dimension::duration)) {
            if (*v < 60) {
                reader.error(step, "output.timestep", found_instead_of(step, "at least 1min"));
            } else {
                scenario.timestep_s = *v;
            }
        }
    }
}

void read_finance(SectionContext& context, const YAML::Node& node) {
    if (!node) return;
    YamlReader& reader = context.reader;
    Scenario& scenario = context.scenario;
    if (!reader.check_mapping(node, "finance", {"currency", "exchange_rates", "depreciation"})) return;
    if (YAML::Node code = reader.child(node, "finance", "currency", false)) {
        if (auto v = reader.text(code, "finance.currency", "a currency code like USD")) scenario.currency.code = *v;
    }
    if (YAML::Node rates = reader.child(node, "finance", "exchange_rates", false)) {
        if (rates.IsMap()) {
            for (const auto& entry : rates) {
                const std::string code = entry.first.Scalar();
                const std::string path = "finance.exchange_rates." + code;
                if (auto v = reader.number(entry.second, path, 1e-12, INFINITY)) scenario.currency.rates[code] = *v;
            }
        } else {
            reader.error(rates, "finance.exchange_rates",
                         found_instead_of(rates, "a mapping like {EUR: 1.08} (units of " + scenario.currency.code +
                                                     " per unit of each currency)"));
        }
    }
    convert_catalog_prices(context, node);
    if (YAML::Node period = reader.child(node, "finance", "depreciation", false)) {
        if (auto v = context.quantity(period, "finance.depreciation", Dimension::duration)) {
            if (*v <= 0) {
                reader.error(period, "finance.depreciation", found_instead_of(period, "a duration > 0"));
            } else {
                scenario.default_lifetime_s = *v;
            }
        }
    }
}

void read_power(SectionContext& context, const YAML::Node& node) {
    if (!node) return;
    YamlReader& reader = context.reader;
    Scenario& scenario = context.scenario;
    if (!reader.check_mapping(node, "power", {"curve", "fan_exponent"})) return;
    if (YAML::Node curve = reader.child(node, "power", "curve", false)) {
        if (auto name = reader.text(curve, "power.curve", "a power curve name")) {
            const auto names = infra::power_curve_names();
            const auto it = std::find(names.begin(), names.end(), *name);
            if (it == names.end()) {
                reader.error(curve, "power.curve",
                             "'" + *name + "', expected " + join_alternatives(names) + did_you_mean(*name, names));
            } else {
                scenario.power_curve.kind = static_cast<infra::PowerCurve::Kind>(it - names.begin());
            }
        }
    }
    if (YAML::Node exponent = reader.child(node, "power", "fan_exponent", false)) {
        if (auto v = reader.number(exponent, "power.fan_exponent", 1, 10)) scenario.power_curve.fan_exponent = *v;
    }
}

} // namespace capsim::scenario::detail
