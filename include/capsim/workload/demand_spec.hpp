#pragma once
#include <vector>

#include "capsim/workload/scheduler_spec.hpp"
#include "capsim/workload/workload_spec.hpp"

namespace capsim::workload {

/// What the workload model simulates on the infrastructure: the tenants, the job streams they
/// submit and the scheduler that serves them. With no workloads, GPU load follows each site's
/// `load` profile instead.
struct DemandSpec {
    std::vector<TenantSpec> tenants;
    std::vector<WorkloadSpec> workloads;
    SchedulerSpec scheduler;
    bool has_workloads() const { return !workloads.empty(); }
};

} // namespace capsim::workload
