#include "capsim/io/scenario_writer.hpp"

#include <numeric>
#include <vector>

#include "capsim/io/hdf5_file.hpp"
#include "capsim/util/calendar.hpp"

namespace capsim::io {
namespace {

std::vector<double> scaled(const std::vector<double>& values, double factor) {
    std::vector<double> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = values[i] * factor;
    return out;
}

/// Running sums along time of a (time, site) array.
std::vector<double> cumulative(const std::vector<double>& values, std::size_t sites) {
    std::vector<double> out(values);
    for (std::size_t i = sites; i < out.size(); ++i) out[i] += out[i - sites];
    return out;
}

} // namespace

void write_scenario_results(const std::string& path, const scenario::Scenario& scenario,
                            const infra::InfrastructureResult& result) {
    const std::string& currency = scenario.currency.code;
    File file = File::create(path);
    file.set_attribute("Conventions", "CF-1.8");
    file.set_attribute("title", "capsim scenario run: " + scenario.name);
    file.set_attribute("capsim_version", CAPSIM_VERSION);
    file.set_attribute("scenario", scenario.name);
    file.set_attribute("source", scenario.source);
    file.set_attribute("start", format_datetime(scenario.start_s));
    file.set_attribute("end", format_datetime(scenario.end_s));
    file.set_attribute("seed", static_cast<std::int64_t>(scenario.seed));
    file.set_attribute("timestep_s", scenario.timestep_s);
    file.set_attribute("currency", currency);

    infra::SiteTotals all;
    for (const auto& t : result.totals) {
        all.it_energy_mwh += t.it_energy_mwh;
        all.facility_energy_mwh += t.facility_energy_mwh;
        all.energy_cost += t.energy_cost;
        all.carbon_t += t.carbon_t;
        all.capex_hardware += t.capex_hardware;
        all.capex_facility += t.capex_facility;
        all.depreciation += t.depreciation;
        all.gpus_installed_at_end += t.gpus_installed_at_end;
        all.gpus_powered_at_end += t.gpus_powered_at_end;
        all.gpu_hours_stranded += t.gpu_hours_stranded;
    }
    file.set_attribute("total_it_energy_mwh", all.it_energy_mwh);
    file.set_attribute("total_energy_mwh", all.facility_energy_mwh);
    file.set_attribute("total_energy_cost", all.energy_cost);
    file.set_attribute("total_carbon_t", all.carbon_t);
    file.set_attribute("total_capex_hardware", all.capex_hardware);
    file.set_attribute("total_capex_facility", all.capex_facility);
    file.set_attribute("total_depreciation", all.depreciation);
    file.set_attribute("gpus_installed_at_end", all.gpus_installed_at_end);
    file.set_attribute("gpus_powered_at_end", all.gpus_powered_at_end);
    file.set_attribute("gpu_hours_stranded", all.gpu_hours_stranded);
    file.set_attribute("wall_time_s", result.wall_time_s);

    const infra::InfrastructureSeries& s = result.series;
    const std::size_t steps = result.steps();
    const std::size_t sites = result.sites.size();
    {
        Group group = file.create_group("sites");
        group.set_attribute("description", "per site over time; means and totals cover [time, time_bounds[:, 1])");
        // CF time: hours since the scenario start, so xarray decodes real dates.
        const std::string since = "hours since " + format_datetime(scenario.start_s);
        std::vector<double> hours(steps), bounds(2 * steps);
        for (std::size_t i = 0; i < steps; ++i) {
            hours[i] = (s.step_start_s[i] - scenario.start_s) / 3600.0;
            bounds[2 * i] = hours[i];
            bounds[2 * i + 1] = (s.step_end_s[i] - scenario.start_s) / 3600.0;
        }
        const Dataset time = group.create_coordinate("time", hours, since);
        time.set_attribute("calendar", "proleptic_gregorian");
        time.set_attribute("standard_name", "time");
        time.set_attribute("long_name", "start of the output step");
        time.set_attribute("bounds", "time_bounds");
        const Dataset nv = group.create_dimension("nv", 2);
        const Dataset site = group.create_string_coordinate("site", result.sites);
        const Dataset gpu = group.create_string_coordinate("gpu", result.gpu_types);
        const Dataset tb = group.write_array("time_bounds", bounds, {&time, &nv}, since, "output step start and end");
        tb.set_attribute("calendar", "proleptic_gregorian");

        auto ts = [&](const char* name, const std::vector<double>& v, const std::string& units, const char* what) {
            group.write_array(name, v, {&time, &site}, units, what);
        };
        ts("grid_capacity_mw", scaled(s.grid_capacity_mean_w, 1e-6), "MW", "grid capacity, mean over the step");
        ts("pue", s.pue_mean, "1", "power usage effectiveness, mean over the step");
        ts("it_power_mw", scaled(s.it_power_mean_w, 1e-6), "MW", "IT power, mean over the step");
        ts("it_power_peak_mw", scaled(s.it_power_peak_w, 1e-6), "MW", "IT power, peak within the step");
        ts("facility_power_mw", scaled(s.facility_power_mean_w, 1e-6), "MW", "facility power (IT x PUE), mean over the step");
        ts("facility_power_peak_mw", scaled(s.facility_power_peak_w, 1e-6), "MW", "facility power, peak within the step");
        ts("it_energy_mwh", s.it_energy_mwh, "MWh", "IT energy in the step");
        ts("energy_mwh", s.facility_energy_mwh, "MWh", "facility energy in the step");
        ts("energy_cumulative_mwh", cumulative(s.facility_energy_mwh, sites), "MWh", "facility energy since the start");
        ts("energy_cost", s.energy_cost, currency, "electricity cost in the step");
        ts("energy_cost_cumulative", cumulative(s.energy_cost, sites), currency, "electricity cost since the start");
        ts("carbon_t", s.carbon_t, "t", "emissions in the step, tonnes CO2e");
        ts("carbon_cumulative_t", cumulative(s.carbon_t, sites), "t", "emissions since the start, tonnes CO2e");
        ts("capex", s.capex, currency, "capital expenditure booked in the step (orders, grid capacity)");
        ts("capex_cumulative", cumulative(s.capex, sites), currency, "capital expenditure since the start");
        ts("depreciation", s.depreciation, currency, "straight-line depreciation in the step");
        ts("depreciation_cumulative", cumulative(s.depreciation, sites), currency, "depreciation since the start");

        auto gpus = [&](const char* name, const std::vector<double>& v, const char* what) {
            group.write_array(name, v, {&time, &site, &gpu}, "1", what);
        };
        gpus("installed_gpus", s.installed_gpus, "GPUs delivered and not retired, mean over the step");
        gpus("in_service_gpus", s.in_service_gpus, "GPUs commissioned and not retired, mean over the step");
        gpus("powered_gpus", s.powered_gpus, "in-service GPUs within the grid cap, mean over the step");
        gpus("stranded_gpus", s.stranded_gpus, "in-service GPUs the grid cannot power, mean over the step");
        gpus("retired_gpus", s.retired_gpus, "GPUs retired so far, mean over the step");

        auto per_site = [&](const char* name, auto member, double factor, const std::string& units, const char* what) {
            std::vector<double> v;
            for (const auto& t : result.totals) v.push_back(t.*member * factor);
            group.write_array(name, v, {&site}, units, what);
        };
        per_site("total_it_energy_mwh", &infra::SiteTotals::it_energy_mwh, 1, "MWh", "IT energy over the run");
        per_site("total_energy_mwh", &infra::SiteTotals::facility_energy_mwh, 1, "MWh", "facility energy over the run");
        per_site("total_energy_cost", &infra::SiteTotals::energy_cost, 1, currency, "electricity cost over the run");
        per_site("total_carbon_t", &infra::SiteTotals::carbon_t, 1, "t", "emissions over the run, tonnes CO2e");
        per_site("total_capex_hardware", &infra::SiteTotals::capex_hardware, 1, currency, "hardware capex over the run");
        per_site("total_capex_facility", &infra::SiteTotals::capex_facility, 1, currency, "facility capex over the run");
        per_site("total_depreciation", &infra::SiteTotals::depreciation, 1, currency, "depreciation over the run");
        per_site("peak_facility_power_mw", &infra::SiteTotals::facility_power_peak_w, 1e-6, "MW", "peak facility power");
        per_site("gpu_hours_stranded", &infra::SiteTotals::gpu_hours_stranded, 1, "h", "GPU-hours in service but dark");
    }
    file.close();
}

} // namespace capsim::io
