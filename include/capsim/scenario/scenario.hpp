#pragma once
/// A scenario as capsim simulates it: every value resolved to base units (seconds since the Unix
/// epoch for instants, seconds for durations, watts, currency per MWh, g CO2e per kWh), defaults
/// filled in, names checked. Built by load_scenario(); docs/scenario.md describes the file format.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "capsim/infra/hardware_catalog.hpp"
#include "capsim/infra/power_curve.hpp"
#include "capsim/infra/profile.hpp"
#include "capsim/scenario/units.hpp"
#include "capsim/scenario/workload_spec.hpp"

namespace capsim::scenario {

inline constexpr double never = std::numeric_limits<double>::infinity();

/// One site: where GPUs are installed, what its grid connection allows, and what energy costs there.
struct SiteSpec {
    std::string name;
    std::string country;
    double utc_offset_s = 0;          // local time = UTC + offset (day/night tariffs, monthly PUE)
    infra::Profile grid_capacity_w = infra::Profile::constant(0);
    infra::Profile pue = infra::Profile::constant(1);
    infra::Profile price_per_mwh = infra::Profile::constant(0); // scenario currency
    infra::Profile carbon_g_per_kwh = infra::Profile::constant(0);
    infra::Profile load = infra::Profile::constant(0); // mean load of each powered GPU, 0..1, until workloads drive it
    double facility_capex_per_w = 0;  // scenario currency per W of grid capacity added
    /// Straight-line depreciation period of the facility capex; 20 years unless the site gives one
    /// (the scenario unit y: 365.25 days).
    double facility_lifetime_s = 20 * 365.25 * 86400;
};

/// One procurement order: `count` nodes of one type for one site.
struct OrderSpec {
    std::size_t site = 0;          // index into Scenario::sites
    std::string node;              // node type name in the catalog
    std::int64_t count = 0;
    double ordered_s = 0;          // instant of the order (epoch s)
    double lead_time_s = 0;        // ordered -> delivered and installed
    double commissioning_s = 0;    // installed -> in service
    double lifetime_s = never;     // in service -> retired
    double price_per_node = 0;     // scenario currency; the catalog's price unless the order overrides it

    double installed_s() const { return ordered_s + lead_time_s; }
    double in_service_s() const { return installed_s() + commissioning_s; }
    double retired_s() const { return in_service_s() + lifetime_s; }
};

/// output.replications: what a study's results file keeps of its replications.
enum class ReplicationOutput {
    raw,   // every replication's time series, no statistics
    stats, // statistics across replications; per-replication series left out (summary and totals kept)
    both,
};

/// "raw", "stats" or "both", as scenario files and results files write them.
inline const char* to_string(ReplicationOutput mode) {
    switch (mode) {
    case ReplicationOutput::raw: return "raw";
    case ReplicationOutput::stats: return "stats";
    case ReplicationOutput::both: break;
    }
    return "both";
}

struct Scenario {
    std::string name;
    std::string source;           // file path as given
    std::string text;             // the file's text as given
    std::string resolved_text;    // the text with the --set overrides applied (YAML)
    std::vector<std::string> overrides; // --set key=value, in order
    double start_s = 0;           // first instant simulated (00:00 UTC of a plain start date)
    double end_s = 0;             // exclusive: the end of a plain end date's day, or the instant given
    std::uint64_t seed = 0;
    double timestep_s = 86400;    // output resolution
    bool write_jobs = true;       // output.jobs: write the job table
    ReplicationOutput replication_output = ReplicationOutput::both; // output.replications
    Currency currency;
    infra::HardwareCatalog catalog;
    infra::PowerCurve power_curve;
    double default_lifetime_s = 5 * 365.25 * 86400; // for depreciation when an order gives none
    std::vector<SiteSpec> sites;
    std::vector<OrderSpec> buildout;

    // The AI workloads; with none, GPU load follows each site's `load` profile.
    std::vector<TenantSpec> tenants;
    std::vector<WorkloadSpec> workloads;
    SchedulerSpec scheduler;
    bool has_workloads() const { return !workloads.empty(); }
};

} // namespace capsim::scenario
