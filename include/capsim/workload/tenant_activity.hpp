#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "capsim/workload/workload_result.hpp"

namespace capsim::workload {

/// What each tenant has in the system now (running and queued jobs, busy and queued GPUs) and the
/// time integrals of those counts over the current output step, which close into the per-tenant
/// series of a WorkloadResult. Counts are constant between events, so the step means are exact.
class TenantActivity {
public:
    explicit TenantActivity(std::size_t tenants);

    void submitted(std::size_t tenant) { step_[tenant].submitted_jobs += 1; }
    void queued(std::size_t tenant, std::int64_t gpus);
    void left_queue(std::size_t tenant, std::int64_t gpus);
    /// Started on `footprint` GPUs (whole nodes for a multi-node job).
    void started(std::size_t tenant, std::int64_t footprint);
    void stopped(std::size_t tenant, std::int64_t footprint);

    /// Adds `dt_s` of the current counts to the step's integrals.
    void integrate(double dt_s);
    /// Appends the step of `length_s` to `out`'s per-tenant series (time means, submissions and
    /// delivered GPU-hours) and starts the next.
    void close_step(double length_s, WorkloadResult& out);

    const std::vector<std::int64_t>& busy_gpus() const { return busy_gpus_; }
    std::int64_t busy_gpus_total() const;
    std::int64_t running_jobs_total() const;

private:
    struct Now {
        std::int64_t running_jobs = 0;
        std::int64_t queued_jobs = 0;
        std::int64_t queued_gpus = 0;
    };
    struct Step {
        double submitted_jobs = 0;
        double running_job_s = 0;
        double queued_job_s = 0;
        double busy_gpu_s = 0;
        double queued_gpu_s = 0;
    };
    std::vector<std::int64_t> busy_gpus_; // apart, as fair share reads it whole
    std::vector<Now> now_;
    std::vector<Step> step_;
};

} // namespace capsim::workload
