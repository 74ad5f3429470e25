#pragma once
#include <vector>

#include "capsim/infra/hardware_catalog.hpp"
#include "capsim/infra/order_spec.hpp"
#include "capsim/infra/power_curve.hpp"
#include "capsim/infra/site_spec.hpp"

namespace capsim::infra {

/// What the infrastructure model simulates: the sites, the nodes ordered for them from the hardware
/// catalog, and the horizon and output step it simulates them over. Values are in base units
/// (epoch seconds for instants, seconds, watts).
struct InfrastructureSpec {
    double start_s = 0;           // first instant simulated (00:00 UTC of a plain start date)
    double end_s = 0;             // exclusive: the end of a plain end date's day, or the instant given
    double timestep_s = 86400;    // output resolution
    HardwareCatalog catalog;
    PowerCurve power_curve;
    double default_lifetime_s = 5 * 365.25 * 86400; // for depreciation when an order gives none
    std::vector<SiteSpec> sites;
    std::vector<OrderSpec> buildout;
};

} // namespace capsim::infra
