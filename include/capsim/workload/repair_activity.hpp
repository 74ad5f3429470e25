#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "capsim/workload/workload_result.hpp"

namespace capsim::workload {

/// The nodes each site has in repair now, and over the current output step the failures that began,
/// the node-time and the GPU-time in repair, which close into the per-site failure series of a
/// WorkloadResult. Counts are constant between events, so the step means are exact.
class RepairActivity {
public:
    explicit RepairActivity(std::size_t sites);

    /// A node of `gpus` GPUs at `site` failed.
    void failed(std::size_t site, std::int64_t gpus);
    void repaired(std::size_t site, std::int64_t gpus);

    void integrate(double dt_s);
    /// Appends the step of `length_s` to `out`'s failure series and starts the next.
    void close_step(double length_s, WorkloadResult& out);

    std::int64_t nodes_in_repair(std::size_t site) const { return sites_[site].nodes_in_repair; }

private:
    struct Site {
        std::int64_t nodes_in_repair = 0;
        std::int64_t gpus_in_repair = 0;
        double failures = 0;         // in the step
        double node_s_in_repair = 0; // in the step
        double gpu_s_in_repair = 0;
    };
    std::vector<Site> sites_;
};

} // namespace capsim::workload
