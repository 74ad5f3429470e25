#include "capsim/workload/tenant_activity.hpp"

#include <numeric>

namespace capsim::workload {

TenantActivity::TenantActivity(std::size_t tenants) : busy_gpus_(tenants, 0), now_(tenants), step_(tenants) {}

void TenantActivity::queued(std::size_t tenant, std::int64_t gpus) {
    ++now_[tenant].queued_jobs;
    now_[tenant].queued_gpus += gpus;
}

void TenantActivity::left_queue(std::size_t tenant, std::int64_t gpus) {
    --now_[tenant].queued_jobs;
    now_[tenant].queued_gpus -= gpus;
}

void TenantActivity::started(std::size_t tenant, std::int64_t footprint) {
    ++now_[tenant].running_jobs;
    busy_gpus_[tenant] += footprint;
}

void TenantActivity::stopped(std::size_t tenant, std::int64_t footprint) {
    --now_[tenant].running_jobs;
    busy_gpus_[tenant] -= footprint;
}

void TenantActivity::integrate(double dt_s) {
    for (std::size_t k = 0; k < step_.size(); ++k) {
        step_[k].running_job_s += static_cast<double>(now_[k].running_jobs) * dt_s;
        step_[k].queued_job_s += static_cast<double>(now_[k].queued_jobs) * dt_s;
        step_[k].busy_gpu_s += static_cast<double>(busy_gpus_[k]) * dt_s;
        step_[k].queued_gpu_s += static_cast<double>(now_[k].queued_gpus) * dt_s;
    }
}

void TenantActivity::close_step(double length_s, WorkloadResult& out) {
    for (std::size_t k = 0; k < step_.size(); ++k) {
        const Step& s = step_[k];
        out.submitted_jobs.push_back(s.submitted_jobs);
        out.running_jobs.push_back(s.running_job_s / length_s);
        out.queued_jobs.push_back(s.queued_job_s / length_s);
        out.busy_gpus.push_back(s.busy_gpu_s / length_s);
        out.queued_gpus.push_back(s.queued_gpu_s / length_s);
        out.delivered_gpu_hours.push_back(s.busy_gpu_s / 3600.0);
        out.delivered_gpu_hours_total[k] += s.busy_gpu_s / 3600.0;
        step_[k] = Step{};
    }
}

std::int64_t TenantActivity::busy_gpus_total() const {
    return std::accumulate(busy_gpus_.begin(), busy_gpus_.end(), std::int64_t{0});
}

std::int64_t TenantActivity::running_jobs_total() const {
    std::int64_t total = 0;
    for (const Now& n : now_) total += n.running_jobs;
    return total;
}

} // namespace capsim::workload
