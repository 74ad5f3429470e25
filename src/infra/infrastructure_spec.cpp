#include "capsim/infra/infrastructure_spec.hpp"

#include <algorithm>

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

} // namespace capsim::infra
