#include "capsim/infra/infrastructure_spec.hpp"

#include <algorithm>
#include <utility>

#include "capsim/util/error.hpp"

namespace capsim::infra {

std::vector<std::string> output_gpu_types(const InfrastructureSpec& spec) {
    std::vector<const GpuSpec*> ordered;
    for (const OrderSpec& o : spec.buildout) {
        const GpuSpec* gpu = spec.catalog.find_gpu(spec.catalog.find_node(o.node)->gpu);
        if (std::find(ordered.begin(), ordered.end(), gpu) == ordered.end()) ordered.push_back(gpu);
    }
    if (!spec.gpu_axis.empty()) {
        for (const GpuSpec* gpu : ordered) {
            if (std::find(spec.gpu_axis.begin(), spec.gpu_axis.end(), gpu->name) == spec.gpu_axis.end()) {
                throw InternalError("GPU type " + gpu->name + " is ordered but not on the output's gpu axis");
            }
        }
        return spec.gpu_axis;
    }
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const GpuSpec* a, const GpuSpec* b) { return generation(*a) > generation(*b); });
    std::vector<std::string> names;
    for (const GpuSpec* gpu : ordered) names.push_back(gpu->name);
    return names;
}

std::int64_t most_nodes_in_service(const std::vector<OrderSpec>& buildout, std::size_t site, const std::string& node,
                                   double start_s, double end_s) {
    std::vector<std::pair<double, std::int64_t>> changes; // (instant, nodes entering or, negative, leaving)
    for (const OrderSpec& o : buildout) {
        if (o.site != site || o.node != node) continue;
        const double from_s = std::max(o.in_service_s(), start_s);
        const double to_s = std::min(o.retired_s(), end_s);
        if (from_s >= to_s) continue;
        changes.emplace_back(from_s, o.count - o.spare_nodes);
        changes.emplace_back(to_s, -(o.count - o.spare_nodes));
    }
    // At one instant the retirements come first: nodes that leave as others arrive never meet them.
    std::sort(changes.begin(), changes.end());
    std::int64_t now = 0, most = 0;
    for (const auto& [instant_s, nodes] : changes) {
        now += nodes;
        most = std::max(most, now);
    }
    return most;
}

} // namespace capsim::infra
