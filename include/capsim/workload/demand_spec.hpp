#pragma once
#include <vector>

#include "capsim/workload/failure_spec.hpp"
#include "capsim/workload/scheduler_spec.hpp"
#include "capsim/workload/workload_spec.hpp"

namespace capsim::workload {

/// What the workload model simulates on the infrastructure: the tenants, the job streams they
/// submit, the scheduler that serves them, and the failures of the nodes they run on. With no
/// workloads, GPU load follows each site's `load` profile instead (and failures are not simulated).
struct DemandSpec {
    std::vector<TenantSpec> tenants;
    std::vector<WorkloadSpec> workloads;
    SchedulerSpec scheduler;
    std::vector<FailureSpec> failures;      // none: no node ever fails
    bool has_workloads() const { return !workloads.empty(); }
};

} // namespace capsim::workload
