#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "capsim/workload/workload_result.hpp"

namespace capsim::metrics {

/// The standard figures of one group of jobs (a tenant, a class): counts by final state, the wait of
/// the jobs that started (first start - submit: how long until first served), the bounded slowdown
/// of those that completed, and the GPU-hours delivered to the group over the run.
struct GroupSummary {
    std::string name;
    std::uint64_t submitted = 0, completed = 0, running = 0, queued = 0, rejected = 0;
    std::uint64_t rejected_too_large = 0, rejected_no_matching_gpus = 0, rejected_over_max_walltime = 0;
    std::uint64_t preemptions = 0;
    double wait_mean_s = 0, wait_p50_s = 0, wait_p95_s = 0, wait_p99_s = 0; // NaN with no started job
    double bounded_slowdown_mean = 0;                                      // NaN with no completed job
    double delivered_gpu_hours = 0;
    double delivered_share = 0; // of all tenants' delivered GPU-hours
    double entitled_share = 0;  // tenants only; NaN for classes
};

struct WorkloadSummary {
    std::vector<GroupSummary> tenants;
    std::vector<GroupSummary> classes; // by scenario::JobClass
    GroupSummary all;
};

WorkloadSummary summarize(const workload::WorkloadResult& result, double tau_s = 10.0);

} // namespace capsim::metrics
