#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capsim/util/calendar.hpp"
#include "capsim/workload/job_observer.hpp"
#include "capsim/workload/workload_result.hpp"

namespace capsim::metrics {

/// The effective training time ratio of a job: the wall time it spent on work it kept over the time
/// from its first start to its end, productive_s / (end - first start). NaN unless it completed, and
/// when it ended as it first started. A job that ran 10 h, lost 1 h to a failure and waited 1 h to
/// start again has 10 / 12 = 0.83.
double job_ettr(const workload::JobRecord& job);

/// The standard figures of one group of jobs (a tenant, a class, a tenant's class) over one period
/// (the horizon, or the jobs submitted in one calendar year): counts by final state, the wait of the
/// jobs until their first start, the bounded slowdown of those that completed, the GPU-hours delivered
/// asked for by and delivered to the group, and what failures and stops cost it (interruptions, GPU-hours lost, ETTR).
/// A job still waiting for its first start at the end of the horizon counts in the waits with the
/// wait it has so far (end - submit): a censored wait, so a backlog raises the percentiles.
struct GroupSummary {
    std::string name;
    std::uint64_t submitted = 0, completed = 0, running = 0, queued = 0, rejected = 0;
    std::uint64_t started = 0;       // started at least once
    std::uint64_t still_waiting = 0; // never started by the end of the horizon (censored waits)
    std::uint64_t rejected_too_large = 0, rejected_no_matching_gpus = 0, rejected_over_max_walltime = 0;
    std::uint64_t preemptions = 0;
    double wait_mean_s = 0, wait_p50_s = 0, wait_p95_s = 0, wait_p99_s = 0; // NaN with no wait
    double bounded_slowdown_mean = 0;                                      // NaN with no completed job
    double demand_gpu_hours = 0;    // asked for by the group's jobs (JobRecord::demand_gpu_hours)
    double delivered_gpu_hours = 0; // tenants and all; NaN for classes
    double delivered_share = 0;     // of all tenants' delivered GPU-hours
    double entitled_share = 0;      // tenants only; NaN for classes
    double entitled_gpu_hours = 0;  // entitled share x all tenants' delivered GPU-hours
    /// What the tenant got short of its share, counting only what it asked for:
    /// max(0, min(entitled, demand) - delivered). A tenant that asked for less than its share and
    /// got it has none. For all: the tenants' sum.
    double share_shortfall_gpu_hours = 0;
    std::uint64_t interruptions = 0; // stops by a node failure
    double lost_gpu_hours = 0;       // held but not productive, all the group's jobs
    double ettr_mean = 0;     // mean job_ettr over the completed jobs that have one; NaN with none
    double ettr_weighted = 0; // sum(productive_s x gpus) / sum((end - first start) x gpus), completed jobs
};

/// One period's jobs by tenant, by class (workload::JobClass order), by tenant and class, and all
/// together.
struct PeriodSummary {
    std::vector<GroupSummary> tenants;
    std::vector<GroupSummary> classes;
    std::vector<GroupSummary> tenant_classes; // tenant-major: [tenant * job_class_count + class]
    GroupSummary all;

    /// The groups in the order of the results' `group` axis: tenants, classes, tenant classes, all.
    std::vector<const GroupSummary*> rows() const;
};

/// A run's jobs over the whole horizon, and by the calendar year they were submitted in.
struct WorkloadSummary : PeriodSummary {
    std::vector<CalendarYear> years;
    std::vector<PeriodSummary> by_year; // one per year
};

/// The name of a group on the results' `group` axis: "tenant:<name>", "class:<name>",
/// "tenant:<name>/class:<name>" or "all".
std::vector<std::string> group_names(const PeriodSummary& summary);

/// Builds the summaries from job rows fed one at a time (so the rows need not be kept), and the
/// delivered GPU-hours of the tenant time series. As a JobObserver of the workload model it sees
/// each row as it becomes final. Waits are kept once per (year, tenant, class), sorted once, and
/// merged for the coarser groups.
class WorkloadSummaryBuilder final : public workload::JobObserver {
public:
    WorkloadSummaryBuilder(std::size_t tenants, double horizon_start_s, double horizon_end_s, double tau_s = 10.0);
    ~WorkloadSummaryBuilder() override;
    void add(const workload::JobRecord& job);
    void row_final(const workload::JobRecord& row) override { add(row); }
    WorkloadSummary finish(const workload::WorkloadResult& result);

private:
    struct Accumulator;
    std::size_t year_of(double submit_s) const;
    std::size_t group_count() const;
    std::size_t tenants_;
    std::vector<CalendarYear> years_;
    double horizon_end_s_;
    double tau_s_;
    std::vector<Accumulator> groups_;           // [period * group_count() + row], period 0 the horizon
    std::vector<std::vector<double>> waits_;    // [(year * tenants + tenant) * classes + class]
};

} // namespace capsim::metrics
