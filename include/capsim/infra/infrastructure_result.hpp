#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace capsim::infra {

/// Values per output step and site, stored step-major: value(step, site) = data[step * sites + site].
/// Per-GPU-type counts add a third axis: data[(step * sites + site) * gpu_types + gpu].
struct InfrastructureSeries {
    std::vector<double> step_start_s; // epoch seconds
    std::vector<double> step_end_s;

    // Means and peaks over each step (power in W), totals within each step (energy in MWh).
    std::vector<double> grid_capacity_mean_w;
    std::vector<double> pue_mean;               // time-mean PUE
    std::vector<double> it_power_mean_w;
    std::vector<double> it_power_peak_w;
    std::vector<double> facility_power_mean_w;
    std::vector<double> facility_power_peak_w;
    std::vector<double> it_energy_mwh;
    std::vector<double> facility_energy_mwh;
    std::vector<double> energy_cost;            // scenario currency
    std::vector<double> carbon_t;               // tonnes CO2e
    std::vector<double> capex;                  // booked at order (hardware) or grid increase (facility)
    std::vector<double> depreciation;

    // Time-mean GPU counts over each step, per site and GPU type.
    std::vector<double> installed_gpus;   // delivered and not retired (commissioning or in service)
    std::vector<double> in_service_gpus;  // commissioned and not retired
    std::vector<double> powered_gpus;     // in service and within the grid cap
    std::vector<double> powered_nodes;    // the nodes of powered_gpus
    std::vector<double> stranded_gpus;    // in service but dark: the grid cannot power them
    std::vector<double> retired_gpus;     // retired so far
};

/// Totals of a run per site (and summed over sites by the writer and the summary).
struct SiteTotals {
    double it_energy_mwh = 0;
    double facility_energy_mwh = 0;
    double energy_cost = 0;
    double carbon_t = 0;
    double capex_hardware = 0;
    double capex_facility = 0;
    double depreciation = 0;
    double facility_power_peak_w = 0;
    double gpus_installed_at_end = 0;
    double gpus_powered_at_end = 0;
    double nodes_powered_at_end = 0;
    double peak_flops_powered_at_end = 0; // dense BF16 peak of the powered GPUs, FLOP/s
    double gpu_hours_stranded = 0;

    /// Adds another site's totals (peaks add too: sites draw at the same time at worst).
    SiteTotals& operator+=(const SiteTotals& other);
};

/// The sum over all sites.
SiteTotals total_of(const std::vector<SiteTotals>& sites);

struct InfrastructureResult {
    std::vector<std::string> sites;
    std::vector<std::string> gpu_types; // the GPU models that appear in the build-out, newest first
    std::vector<double> gpu_peak_flops; // per GPU type: dense BF16 peak of one GPU, FLOP/s
    InfrastructureSeries series;
    std::vector<SiteTotals> totals;     // per site
    std::uint64_t events = 0;
    double wall_time_s = 0;
    std::size_t steps_closed = 0;       // output steps simulated (the series may hold fewer: see SeriesSink)

    std::size_t steps() const { return steps_closed; }
};

} // namespace capsim::infra
