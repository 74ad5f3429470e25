#include "capsim/workload/repair_activity.hpp"

#include "capsim/util/error.hpp"

namespace capsim::workload {

RepairActivity::RepairActivity(std::size_t sites) : sites_(sites) {}

void RepairActivity::failed(std::size_t site, std::int64_t gpus) {
    Site& s = sites_[site];
    s.failures += 1;
    s.nodes_in_repair += 1;
    s.gpus_in_repair += gpus;
}

void RepairActivity::repaired(std::size_t site, std::int64_t gpus) {
    Site& s = sites_[site];
    if (s.nodes_in_repair <= 0 || s.gpus_in_repair < gpus) {
        throw InternalError("repair activity: a node repaired that was not in repair");
    }
    s.nodes_in_repair -= 1;
    s.gpus_in_repair -= gpus;
}

void RepairActivity::integrate(double dt_s) {
    for (Site& s : sites_) {
        s.node_s_in_repair += static_cast<double>(s.nodes_in_repair) * dt_s;
        s.gpu_s_in_repair += static_cast<double>(s.gpus_in_repair) * dt_s;
    }
}

void RepairActivity::close_step(double length_s, WorkloadResult& out) {
    out.site_count = sites_.size();
    for (Site& s : sites_) {
        out.node_failures.push_back(s.failures);
        out.nodes_in_repair.push_back(length_s > 0 ? s.node_s_in_repair / length_s : 0.0);
        out.unavailable_gpu_hours.push_back(s.gpu_s_in_repair / 3600.0);
        s.failures = s.node_s_in_repair = s.gpu_s_in_repair = 0;
    }
}

} // namespace capsim::workload
