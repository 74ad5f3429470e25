#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "capsim/cluster/gpu_cluster.hpp"
#include "capsim/infra/power_curve.hpp"

namespace capsim::workload {

/// The power that running jobs draw above idle, per order of the build-out: what the
/// infrastructure adds to the idle power of the GPUs it powers. A job at load u, on GPUs of idle
/// power i and maximum m, adds curve(i, m, u) - i per GPU it holds on each node (docs/model.md).
class GpuPowerLoad {
public:
    GpuPowerLoad(std::size_t orders, const infra::PowerCurve& curve) : above_idle_w_(orders, 0.0), curve_(curve) {}

    /// The GPUs of the next pool (pools are added in the cluster's order).
    void add_pool(double idle_w, double max_w) {
        idle_w_.push_back(idle_w);
        max_w_.push_back(max_w);
    }
    /// A job of `load` starts (`sign` +1) or stops (-1) on `allocation` in `cluster`.
    void change(const cluster::Allocation& allocation, double load, int sign, const cluster::GpuCluster& cluster) {
        const double idle_w = idle_w_[allocation.pool];
        const double per_gpu = curve_.gpu_power_w(idle_w, max_w_[allocation.pool], load) - idle_w;
        for (const auto& [node, g] : allocation.nodes) above_idle_w_[cluster.order_of_node(node)] += sign * g * per_gpu;
    }
    double above_idle_w(std::size_t order) const { return above_idle_w_[order]; }

private:
    std::vector<double> above_idle_w_;
    std::vector<double> idle_w_, max_w_; // per pool
    infra::PowerCurve curve_;
};

} // namespace capsim::workload
