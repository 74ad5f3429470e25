#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

namespace capsim::infra {

/// One procurement order: `count` nodes of one type for one site.
struct OrderSpec {
    std::size_t site = 0;          // index into the sites of the infrastructure
    std::string node;              // node type name in the catalog
    std::int64_t count = 0;
    /// Of the count, nodes kept out of scheduling, powered and idle, to replace at once a failed node
    /// that runs a job (docs/model.md, "Spare nodes").
    std::int64_t spare_nodes = 0;
    double ordered_s = 0;          // instant of the order (epoch s)
    double lead_time_s = 0;        // ordered -> delivered and installed
    double commissioning_s = 0;    // installed -> in service
    double lifetime_s = std::numeric_limits<double>::infinity(); // in service -> retired; infinite: never
    double price_per_node = 0;     // scenario currency; the catalog's price unless the order overrides it

    double installed_s() const { return ordered_s + lead_time_s; }
    double in_service_s() const { return installed_s() + commissioning_s; }
    double retired_s() const { return in_service_s() + lifetime_s; }
};

} // namespace capsim::infra
