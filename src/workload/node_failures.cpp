#include "capsim/workload/node_failures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "capsim/util/error.hpp"

namespace capsim::workload {
namespace {

constexpr double never = std::numeric_limits<double>::infinity();

/// A stream index per (process, node): the process's own index mixed with the node's, so that two
/// nodes (or two processes) never share a stream.
std::uint64_t node_stream(std::uint64_t process_stream, std::uint32_t node) {
    std::uint64_t z = process_stream + 0x9E3779B97F4A7C15ull * (static_cast<std::uint64_t>(node) + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

bool lists(const std::vector<std::string>& names, const std::string& name) {
    return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
}

bool lists(const std::vector<std::size_t>& sites, std::size_t site) {
    return sites.empty() || std::find(sites.begin(), sites.end(), site) != sites.end();
}

} // namespace

NodeFailures::NodeFailures(const std::vector<FailureSpec>& specs, std::vector<FailureNode> nodes,
                           StreamId replication)
    : specs_(specs), nodes_(std::move(nodes)), nodes_of_(specs_.size()), clocks_(specs_.size()),
      outages_(specs_.size()) {
    for (std::size_t p = 0; p < specs_.size(); ++p) {
        const FailureSpec& spec = specs_[p];
        weibull_scale_per_mean_.push_back(1.0 / std::tgamma(1.0 + 1.0 / spec.weibull_shape));
        if (spec.from_trace()) {
            for (const FailureSpec::TraceFailure& row : spec.trace) {
                // The row's node is the index-th of its site's nodes of its type, in cluster order.
                std::int64_t seen = 0;
                std::uint32_t found = UINT32_MAX;
                for (std::uint32_t n = 0; n < nodes_.size() && found == UINT32_MAX; ++n) {
                    if (nodes_[n].site != row.site || nodes_[n].node_type != row.node_type) continue;
                    if (seen++ == row.node) found = n;
                }
                if (found == UINT32_MAX) {
                    throw InputError("failure trace: no node " + std::to_string(row.node) + " of type " +
                                     row.node_type + " at that site");
                }
                outages_[p].push_back({row.time_s, found, row.duration_s});
            }
            continue;
        }
        for (std::uint32_t n = 0; n < nodes_.size(); ++n) {
            if (!lists(spec.node_types, nodes_[n].node_type) || !lists(spec.sites, nodes_[n].site)) continue;
            StreamId id = replication;
            id.stream = node_stream(spec.stream, n);
            Clock c{RandomStream(id)};
            // The first draw of a node's stream decides whether it is a bad node: the same node is bad
            // in every run of the same seed and replication, whatever else is in the scenario.
            const double u = c.stream.uniform();
            c.bad = spec.bad_fraction > 0 && u < spec.bad_fraction;
            c.rate_per_s = spec.rate_per_s * (c.bad ? spec.bad_factor : 1.0);
            nodes_of_[p].push_back(n);
            clocks_[p].push_back(std::move(c));
        }
    }
}

std::size_t NodeFailures::clock_index(std::size_t process, std::uint32_t node) const {
    const auto& nodes = nodes_of_[process];
    const auto it = std::lower_bound(nodes.begin(), nodes.end(), node);
    if (it == nodes.end() || *it != node) return no_clock;
    return static_cast<std::size_t>(it - nodes.begin());
}

const NodeFailures::Clock* NodeFailures::find_clock(std::size_t process, std::uint32_t node) const {
    const std::size_t i = clock_index(process, node);
    return i == no_clock ? nullptr : &clocks_[process][i];
}

NodeFailures::Clock& NodeFailures::clock(std::size_t process, std::uint32_t node) {
    const std::size_t i = clock_index(process, node);
    if (i == no_clock) throw InternalError("node failures: a process drew for a node it does not apply to");
    return clocks_[process][i];
}

bool NodeFailures::applies(std::size_t process, std::uint32_t node) const {
    return find_clock(process, node) != nullptr;
}

bool NodeFailures::is_bad(std::size_t process, std::uint32_t node) const {
    const Clock* c = find_clock(process, node);
    return c && c->bad;
}

double NodeFailures::next_failure_s(std::size_t process, std::uint32_t node, double up_from_s) {
    Clock& c = clock(process, node);
    const FailureSpec& spec = specs_[process];
    const FailureNode& where = nodes_[node];
    if (c.rate_per_s <= 0) return never;
    const double from_s = std::max(up_from_s, where.in_service_s);
    const double mean_s = 1.0 / c.rate_per_s;
    double up_s = 0;
    if (spec.weibull_shape == 1) {
        up_s = c.stream.exponential(c.rate_per_s);
    } else {
        // Inverse transform of the Weibull CDF 1 - exp(-(t / scale)^k), scale = mean / Gamma(1 + 1/k).
        const double scale_s = mean_s * weibull_scale_per_mean_[process];
        up_s = scale_s * std::pow(-std::log(c.stream.uniform()), 1.0 / spec.weibull_shape);
    }
    const double t = from_s + up_s;
    return t < where.retired_s ? t : never;
}

double NodeFailures::repair_s(std::size_t process, std::uint32_t node) {
    return std::max(0.0, specs_[process].repair_s.sample(clock(process, node).stream));
}

double NodeFailures::mean_rate_per_s(std::size_t site, const std::string& node_type) const {
    double rate = 0;
    for (const FailureSpec& spec : specs_) {
        if (spec.from_trace() || !lists(spec.node_types, node_type) || !lists(spec.sites, site)) continue;
        rate += spec.rate_per_s * (1 - spec.bad_fraction + spec.bad_fraction * spec.bad_factor);
    }
    return rate;
}

} // namespace capsim::workload
