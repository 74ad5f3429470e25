#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capsim/workload/job_observer.hpp"
#include "capsim/workload/workload_result.hpp"

namespace capsim::metrics {

/// The effective training time ratio of a job: the wall time it spent on work it kept over the time
/// from its first start to its end, productive_s / (end - first start). NaN unless it completed, and
/// when it ended as it first started. A job that ran 10 h, lost 1 h to a failure and waited 1 h to
/// start again has 10 / 12 = 0.83.
double job_ettr(const workload::JobRecord& job);

/// The standard figures of one group of jobs (a tenant, a class): counts by final state, the wait of
/// the jobs that started (first start - submit: how long until first served), the bounded slowdown
/// of those that completed, the GPU-hours delivered to the group over the run, and what failures and
/// stops cost it (interruptions, GPU-hours lost, ETTR).
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
    std::uint64_t interruptions = 0; // stops by a node failure
    double lost_gpu_hours = 0;       // held but not productive, all the group's jobs
    double ettr_mean = 0;     // mean job_ettr over the completed jobs that have one; NaN with none
    double ettr_weighted = 0; // sum(productive_s x gpus) / sum((end - first start) x gpus), completed jobs
};

/// A run's jobs by tenant, by class (workload::JobClass order) and all together.
struct WorkloadSummary {
    std::vector<GroupSummary> tenants;
    std::vector<GroupSummary> classes;
    GroupSummary all;
};

/// Builds the per-tenant and per-class summary from job rows fed one at a time (so the rows need
/// not be kept), and the delivered GPU-hours of the tenant time series. As a JobObserver of the
/// workload model it sees each row as it becomes final.
class WorkloadSummaryBuilder final : public workload::JobObserver {
public:
    WorkloadSummaryBuilder(std::size_t tenants, double tau_s = 10.0);
    ~WorkloadSummaryBuilder() override;
    void add(const workload::JobRecord& job);
    void row_final(const workload::JobRecord& row) override { add(row); }
    WorkloadSummary finish(const workload::WorkloadResult& result);

private:
    struct Accumulator;
    std::vector<Accumulator> tenants_, classes_;
    std::unique_ptr<Accumulator> all_;
    double tau_s_;
};

/// The summary of a result whose rows are all in memory (no sink).
WorkloadSummary summarize(const workload::WorkloadResult& result, double tau_s = 10.0);

} // namespace capsim::metrics
