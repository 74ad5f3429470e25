#pragma once
#include <string>

#include "capsim/infra/profile.hpp"

namespace capsim::infra {

/// One site: where GPUs are installed, what its grid connection allows, and what energy costs there.
struct SiteSpec {
    std::string name;
    std::string country;
    double utc_offset_s = 0;          // local time = UTC + offset (day/night tariffs, monthly PUE)
    Profile grid_capacity_w = Profile::constant(0);
    Profile pue = Profile::constant(1);
    Profile price_per_mwh = Profile::constant(0); // scenario currency
    Profile carbon_g_per_kwh = Profile::constant(0);
    Profile load = Profile::constant(0); // mean load of each powered GPU, 0..1, until workloads drive it
    double facility_capex_per_w = 0;  // scenario currency per W of grid capacity added
    /// Straight-line depreciation period of the facility capex; 20 years unless the site gives one
    /// (the scenario unit y: 365.25 days).
    double facility_lifetime_s = 20 * 365.25 * 86400;
};

} // namespace capsim::infra
