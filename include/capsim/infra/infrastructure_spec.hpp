#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
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
    /// The output's GPU types when set: a study gives every point the union over its points, so that
    /// points ordering different node types share one `gpu` axis (zeros where a point has none).
    /// Empty: the types ordered.
    std::vector<std::string> gpu_axis;
};

/// The GPU types along the output's `gpu` axis: `gpu_axis` if set, otherwise the types of the nodes
/// ordered, newest generation first (then in build-out order).
std::vector<std::string> output_gpu_types(const InfrastructureSpec& spec);

/// The most nodes of one node type at one site that are in service at the same time within
/// [start_s, end_s), spares left out: what the largest job there can ever have. An order retired
/// before a later one arrives does not add to it.
std::int64_t most_nodes_in_service(const std::vector<OrderSpec>& buildout, std::size_t site, const std::string& node,
                                   double start_s, double end_s);

/// Release month since year 0, the order of generations.
inline int generation(const GpuSpec& gpu) { return gpu.release_year * 12 + gpu.release_month; }

} // namespace capsim::infra
