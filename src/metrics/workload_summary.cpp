#include "capsim/metrics/workload_summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "capsim/metrics/percentile.hpp"
#include "capsim/workload/job_class.hpp"

namespace capsim::metrics {

double job_ettr(const workload::JobRecord& job) {
    const double span_s = job.end_s - job.first_start_s;
    if (job.state != workload::JobState::completed || !(span_s > 0)) return std::numeric_limits<double>::quiet_NaN();
    return job.productive_s / span_s;
}

struct WorkloadSummaryBuilder::Accumulator {
    GroupSummary summary;
    std::vector<double> waits;
    double slowdown_sum = 0;
    double ettr_sum = 0;
    std::uint64_t ettr_jobs = 0;
    double productive_gpu_s = 0, span_gpu_s = 0; // of the completed jobs, for the weighted ETTR

    void add(const workload::JobRecord& job, double tau_s) {
        GroupSummary& s = summary;
        ++s.submitted;
        s.preemptions += job.preemptions;
        s.interruptions += job.interruptions;
        s.lost_gpu_hours += job.lost_gpu_hours;
        switch (job.state) {
        case workload::JobState::completed: ++s.completed; break;
        case workload::JobState::running: ++s.running; break;
        case workload::JobState::queued: ++s.queued; break;
        case workload::JobState::rejected:
            ++s.rejected;
            if (job.rejection == workload::Rejection::too_large) ++s.rejected_too_large;
            if (job.rejection == workload::Rejection::no_matching_gpus) ++s.rejected_no_matching_gpus;
            if (job.rejection == workload::Rejection::over_max_walltime) ++s.rejected_over_max_walltime;
            break;
        }
        if (job.first_start_s >= 0) waits.push_back(job.first_start_s - job.submit_s);
        if (job.state == workload::JobState::completed) {
            // The job's own run time: a job that resumed from a checkpoint ran its last run for only
            // part of its work, which its productive time holds whole.
            const double run_s = std::max(job.run_s, job.productive_s);
            slowdown_sum += std::max(1.0, (job.end_s - job.submit_s) / std::max(run_s, tau_s));
            if (const double ettr = job_ettr(job); !std::isnan(ettr)) {
                ettr_sum += ettr;
                ++ettr_jobs;
                productive_gpu_s += job.productive_s * job.gpus;
                span_gpu_s += (job.end_s - job.first_start_s) * job.gpus;
            }
        }
    }

    GroupSummary finish() {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        GroupSummary s = summary;
        std::sort(waits.begin(), waits.end());
        double sum = 0;
        for (const double w : waits) sum += w;
        s.wait_mean_s = waits.empty() ? nan : sum / static_cast<double>(waits.size());
        s.wait_p50_s = percentile_sorted(waits, 50);
        s.wait_p95_s = percentile_sorted(waits, 95);
        s.wait_p99_s = percentile_sorted(waits, 99);
        s.bounded_slowdown_mean = s.completed ? slowdown_sum / static_cast<double>(s.completed) : nan;
        s.ettr_mean = ettr_jobs ? ettr_sum / static_cast<double>(ettr_jobs) : nan;
        s.ettr_weighted = span_gpu_s > 0 ? productive_gpu_s / span_gpu_s : nan;
        return s;
    }
};

WorkloadSummaryBuilder::WorkloadSummaryBuilder(std::size_t tenants, double tau_s)
    : tenants_(tenants), classes_(workload::job_class_count), all_(std::make_unique<Accumulator>()), tau_s_(tau_s) {}
WorkloadSummaryBuilder::~WorkloadSummaryBuilder() = default;

void WorkloadSummaryBuilder::add(const workload::JobRecord& job) {
    tenants_[job.tenant].add(job, tau_s_);
    classes_[job.job_class].add(job, tau_s_);
    all_->add(job, tau_s_);
}

WorkloadSummary summarize(const workload::WorkloadResult& r, double tau_s) {
    WorkloadSummaryBuilder builder(r.tenants.size(), tau_s);
    for (const auto& job : r.jobs) builder.add(job);
    return builder.finish(r);
}

WorkloadSummary WorkloadSummaryBuilder::finish(const workload::WorkloadResult& r) {
    const std::size_t tenants = r.tenants.size();
    std::vector<Accumulator>& by_tenant = tenants_;
    std::vector<Accumulator>& by_class = classes_;
    Accumulator& all = *all_;
    // Delivered GPU-hours per tenant: busy GPU time, integrated exactly over every step.
    const std::vector<double>& delivered = r.delivered_gpu_hours_total;
    double total = 0;
    for (const double d : delivered) total += d;

    WorkloadSummary out;
    for (std::size_t t = 0; t < tenants; ++t) {
        GroupSummary s = by_tenant[t].finish();
        s.name = r.tenants[t];
        s.delivered_gpu_hours = delivered[t];
        s.delivered_share = total > 0 ? delivered[t] / total : std::numeric_limits<double>::quiet_NaN();
        s.entitled_share = r.entitled_share[t];
        out.tenants.push_back(s);
    }
    for (int c = 0; c < workload::job_class_count; ++c) {
        GroupSummary s = by_class[static_cast<std::size_t>(c)].finish();
        s.name = workload::to_string(static_cast<workload::JobClass>(c));
        s.entitled_share = std::numeric_limits<double>::quiet_NaN();
        s.delivered_share = std::numeric_limits<double>::quiet_NaN();
        s.delivered_gpu_hours = std::numeric_limits<double>::quiet_NaN(); // kept per tenant only
        out.classes.push_back(s);
    }
    out.all = all.finish();
    out.all.name = "all";
    out.all.delivered_gpu_hours = total;
    out.all.delivered_share = 1;
    out.all.entitled_share = 1;
    return out;
}

} // namespace capsim::metrics
