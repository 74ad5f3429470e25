#include "capsim/metrics/workload_summary.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "capsim/util/calendar.hpp"
#include "capsim/workload/job_class.hpp"

namespace capsim::metrics {
namespace {

using workload::JobRecord;
using workload::JobState;

/// A completed job of tenant 0 that started at 100 s and ended at `end_s`.
JobRecord completed(std::int32_t gpus, double end_s, double productive_s, double lost_gpu_hours,
                    std::uint32_t interruptions, workload::JobClass job_class = workload::JobClass::training) {
    JobRecord r;
    r.job_class = static_cast<std::uint8_t>(job_class);
    r.state = JobState::completed;
    r.gpus = gpus;
    r.submit_s = 0;
    r.first_start_s = 100;
    r.start_s = 100;
    r.end_s = end_s;
    r.run_s = productive_s;
    r.productive_s = productive_s;
    r.lost_gpu_hours = lost_gpu_hours;
    r.interruptions = interruptions;
    return r;
}

constexpr double ten_days_s = 10 * 86400.0;

workload::WorkloadResult one_tenant() {
    workload::WorkloadResult result;
    result.tenants = {"lab"};
    result.entitled_share = {1.0};
    result.delivered_gpu_hours_total = {0.0};
    return result;
}

TEST(JobEttr, IsProductiveTimeOverTheTimeFromFirstStartToEnd) {
    // Started at 100 s, ended at 12,100 s: 12,000 s from first start, 10,000 s of it kept.
    EXPECT_DOUBLE_EQ(job_ettr(completed(8, 12'100, 10'000, 0, 1)), 10'000.0 / 12'000.0);
    // Not completed, or ended as it started: no ETTR.
    JobRecord running = completed(8, -1, 500, 0, 0);
    running.state = JobState::running;
    EXPECT_TRUE(std::isnan(job_ettr(running)));
    EXPECT_TRUE(std::isnan(job_ettr(completed(8, 100, 0, 0, 0))));
}

// Two completed training jobs, one running and one never started, checked by hand:
//   A: 8 GPUs, 12,000 s from first start to end, 10,000 s productive: ETTR 0.8333, 2 interruptions, 4.5 GPU-h lost
//   B: 2 GPUs,  4,000 s, 4,000 s productive: ETTR 1, no loss
//   mean ETTR (0.8333 + 1) / 2 = 0.91667; weighted (10,000 x 8 + 4,000 x 2) / (12,000 x 8 + 4,000 x 2)
//   = 88,000 / 104,000 = 0.84615.
//   C (running): 1 interruption and 1.25 GPU-h lost so far count in the sums, not in ETTR.
//   D (queued, never started): nothing.
TEST(WorkloadSummaryBuilder, SumsInterruptionsAndLostGpuHoursAndAveragesEttr) {
    const workload::WorkloadResult result = one_tenant();
    WorkloadSummaryBuilder builder(1, 0, ten_days_s);
    builder.add(completed(8, 12'100, 10'000, 4.5, 2));
    builder.add(completed(2, 4'100, 4'000, 0, 0));
    JobRecord running = completed(4, -1, 3'000, 1.25, 1);
    running.state = JobState::running;
    builder.add(running);
    JobRecord queued;
    queued.job_class = static_cast<std::uint8_t>(workload::JobClass::training);
    queued.gpus = 16;
    builder.add(queued);
    const WorkloadSummary s = builder.finish(result);

    for (const GroupSummary* g : {&s.tenants[0], &s.classes[static_cast<int>(workload::JobClass::training)], &s.all}) {
        SCOPED_TRACE(g->name);
        EXPECT_EQ(g->interruptions, 3u);
        EXPECT_DOUBLE_EQ(g->lost_gpu_hours, 5.75);
        EXPECT_NEAR(g->ettr_mean, (10'000.0 / 12'000.0 + 1.0) / 2.0, 1e-12);
        EXPECT_NEAR(g->ettr_weighted, 88'000.0 / 104'000.0, 1e-12);
    }
    // A class without jobs has nothing to average: NaN, and zero sums.
    const GroupSummary& research = s.classes[static_cast<int>(workload::JobClass::research)];
    EXPECT_EQ(research.interruptions, 0u);
    EXPECT_EQ(research.lost_gpu_hours, 0.0);
    EXPECT_TRUE(std::isnan(research.ettr_mean));
    EXPECT_TRUE(std::isnan(research.ettr_weighted));
}

TEST(WorkloadSummaryBuilder, EttrIsNanWhenNoJobCompleted) {
    const workload::WorkloadResult result = one_tenant();
    WorkloadSummaryBuilder builder(1, 0, ten_days_s);
    JobRecord running = completed(8, -1, 600, 2.0, 1);
    running.state = JobState::running;
    builder.add(running);
    JobRecord rejected;
    rejected.state = JobState::rejected;
    rejected.rejection = workload::Rejection::too_large;
    builder.add(rejected);
    const WorkloadSummary s = builder.finish(result);
    EXPECT_TRUE(std::isnan(s.all.ettr_mean));
    EXPECT_TRUE(std::isnan(s.all.ettr_weighted));
    EXPECT_EQ(s.all.interruptions, 1u);
    EXPECT_DOUBLE_EQ(s.all.lost_gpu_hours, 2.0);
}

// A completed job that ended as it first started has no ETTR; it leaves the others' mean alone.
TEST(WorkloadSummaryBuilder, ZeroLengthJobIsLeftOutOfEttr) {
    const workload::WorkloadResult result = one_tenant();
    WorkloadSummaryBuilder builder(1, 0, ten_days_s);
    builder.add(completed(8, 100, 0, 0, 0));
    builder.add(completed(1, 1'100, 500, 0.1, 1)); // 500 / 1,000
    const WorkloadSummary s = builder.finish(result);
    EXPECT_DOUBLE_EQ(s.all.ettr_mean, 0.5);
    EXPECT_DOUBLE_EQ(s.all.ettr_weighted, 0.5);
}

// Three jobs of two tenants over a horizon from 2026-03-01 to 2028-01-01, by hand:
//   tenant 0, research, submitted 2026-06-01, waited 100 s
//   tenant 1, training, submitted 2027-02-01, waited 3,600 s
//   tenant 0, training, submitted 2027-05-01, waited 7,200 s
TEST(WorkloadSummaryBuilder, SplitsJobsByTenantClassAndTheYearTheyWereSubmittedIn) {
    using workload::JobClass;
    const double start_s = *parse_datetime("2026-03-01"), end_s = *parse_datetime("2028-01-01");
    workload::WorkloadResult result;
    result.tenants = {"il", "az"};
    result.entitled_share = {0.5, 0.5};
    result.delivered_gpu_hours_total = {1.0, 3.0};
    WorkloadSummaryBuilder builder(2, start_s, end_s);
    auto job = [&](std::uint32_t tenant, JobClass job_class, const char* submitted, double wait_s) {
        JobRecord r = completed(8, 0, 1'000, 0, 0, job_class);
        r.tenant = tenant;
        r.submit_s = *parse_datetime(submitted);
        r.first_start_s = r.start_s = r.submit_s + wait_s;
        r.end_s = r.start_s + 1'000;
        builder.add(r);
    };
    job(0, JobClass::research, "2026-06-01", 100);
    job(1, JobClass::training, "2027-02-01", 3'600);
    job(0, JobClass::training, "2027-05-01", 7'200);
    const WorkloadSummary s = builder.finish(result);

    const auto training = static_cast<std::size_t>(JobClass::training);
    const auto research = static_cast<std::size_t>(JobClass::research);
    constexpr std::size_t classes = workload::job_class_count;
    ASSERT_EQ(s.years.size(), 2u);
    EXPECT_EQ(s.years[0].year, 2026);
    ASSERT_EQ(s.by_year.size(), 2u);
    // The horizon: the tenant of two jobs, and each of its classes apart.
    EXPECT_EQ(s.tenants[0].submitted, 2u);
    EXPECT_DOUBLE_EQ(s.tenants[0].wait_mean_s, 3'650);
    EXPECT_DOUBLE_EQ(s.tenant_classes[0 * classes + research].wait_mean_s, 100);
    EXPECT_DOUBLE_EQ(s.tenant_classes[0 * classes + training].wait_p50_s, 7'200);
    EXPECT_DOUBLE_EQ(s.classes[training].wait_mean_s, 5'400);
    EXPECT_DOUBLE_EQ(s.classes[training].wait_p50_s, 5'400); // midway between 3,600 and 7,200
    EXPECT_EQ(s.tenant_classes[1 * classes + research].submitted, 0u);
    EXPECT_TRUE(std::isnan(s.tenant_classes[1 * classes + research].wait_mean_s));
    EXPECT_DOUBLE_EQ(s.all.wait_p50_s, 3'600);
    EXPECT_DOUBLE_EQ(s.tenants[1].delivered_share, 0.75);
    // 2026 holds the first job only, 2027 the other two.
    EXPECT_EQ(s.by_year[0].all.submitted, 1u);
    EXPECT_DOUBLE_EQ(s.by_year[0].all.wait_p95_s, 100);
    EXPECT_EQ(s.by_year[0].tenants[1].submitted, 0u);
    EXPECT_EQ(s.by_year[1].all.submitted, 2u);
    EXPECT_DOUBLE_EQ(s.by_year[1].classes[training].wait_mean_s, 5'400);
    EXPECT_DOUBLE_EQ(s.by_year[1].tenant_classes[1 * classes + training].wait_mean_s, 3'600);
    EXPECT_EQ(s.by_year[1].tenants[0].completed, 1u);
    // The rows in the order of the results' group axis, and their names.
    const auto names = group_names(s);
    ASSERT_EQ(names.size(), s.rows().size());
    EXPECT_EQ(names.front(), "tenant:il");
    EXPECT_EQ(names[2], "class:" + s.classes[0].name);
    EXPECT_EQ(names[2 + classes + classes + training], "tenant:az/class:" + s.classes[training].name);
    EXPECT_EQ(names.back(), "all");
}

// Over a horizon of ten days: a job that waited 100 s; one submitted on day 8 and never started,
// whose wait so far is the two days to the end; one that started after 50 s, was preempted and
// waits again (its wait is to its first start); one rejected (no wait). Waits 50 s, 100 s, 2 days.
TEST(WorkloadSummaryBuilder, AJobStillWaitingAtTheEndCountsWithItsWaitSoFar) {
    const workload::WorkloadResult result = one_tenant();
    WorkloadSummaryBuilder builder(1, 0, ten_days_s);
    JobRecord started = completed(1, 1'100, 1'000, 0, 0);
    builder.add(started); // submitted at 0, first start 100
    JobRecord waiting;
    waiting.submit_s = 8 * 86400.0;
    builder.add(waiting);
    JobRecord requeued;
    requeued.submit_s = 1'000;
    requeued.first_start_s = 1'050;
    requeued.preemptions = 1;
    builder.add(requeued);
    JobRecord rejected;
    rejected.state = JobState::rejected;
    builder.add(rejected);
    const WorkloadSummary s = builder.finish(result);

    EXPECT_EQ(s.all.submitted, 4u);
    EXPECT_EQ(s.all.started, 2u);
    EXPECT_EQ(s.all.queued, 2u);
    EXPECT_EQ(s.all.still_waiting, 1u);
    EXPECT_DOUBLE_EQ(s.all.wait_mean_s, (50.0 + 100.0 + 2 * 86400.0) / 3.0);
    EXPECT_DOUBLE_EQ(s.all.wait_p50_s, 100.0);
    EXPECT_DOUBLE_EQ(s.all.wait_p99_s, 100.0 + 0.98 * (2 * 86400.0 - 100.0));
    EXPECT_DOUBLE_EQ(s.by_year[0].all.wait_mean_s, s.all.wait_mean_s); // 1970: one year
}

// Demand beside delivery, by hand. Two tenants of equal share over 2026-03-01 to 2028-01-01:
//   2026: il asks 3 GPU-h and gets 1, az asks 100 and gets 7: of 8 delivered each is entitled to 4;
//         il is short min(4, 3) - 1 = 2, az got more than its share (none short).
//   2027: il asks 1 and gets 1, az asks nothing (a job with no matching GPUs: NaN counts as none) and
//         gets 1 (a job from 2026 still running): entitled 1 each, none short.
//   horizon: 10 delivered, 5 each; il asked 4, got 2: short 2; az none.
TEST(WorkloadSummaryBuilder, AShareShortfallCountsOnlyWhatTheTenantAskedFor) {
    using workload::JobClass;
    const double start_s = *parse_datetime("2026-03-01"), end_s = *parse_datetime("2028-01-01");
    workload::WorkloadResult result;
    result.tenants = {"il", "az"};
    result.entitled_share = {0.5, 0.5};
    result.delivered_gpu_hours_total = {2.0, 8.0};
    result.delivered_gpu_hours_by_year = {1.0, 7.0, 1.0, 1.0};
    WorkloadSummaryBuilder builder(2, start_s, end_s);
    auto job = [&](std::uint32_t tenant, const char* submitted, double demand_gpu_hours) {
        JobRecord r = completed(1, 0, 1'000, 0, 0, JobClass::research);
        r.tenant = tenant;
        r.submit_s = *parse_datetime(submitted);
        r.first_start_s = r.start_s = r.submit_s;
        r.end_s = r.start_s + 1'000;
        r.demand_gpu_hours = demand_gpu_hours;
        builder.add(r);
    };
    job(0, "2026-06-01", 1);
    job(0, "2026-07-01", 2);
    job(1, "2026-08-01", 100);
    job(0, "2027-02-01", 1);
    job(1, "2027-03-01", std::numeric_limits<double>::quiet_NaN());
    const WorkloadSummary s = builder.finish(result);

    ASSERT_EQ(s.by_year.size(), 2u);
    const PeriodSummary& y2026 = s.by_year[0];
    EXPECT_DOUBLE_EQ(y2026.tenants[0].demand_gpu_hours, 3);
    EXPECT_DOUBLE_EQ(y2026.tenants[0].delivered_gpu_hours, 1);
    EXPECT_DOUBLE_EQ(y2026.tenants[0].delivered_share, 1.0 / 8.0);
    EXPECT_DOUBLE_EQ(y2026.tenants[0].entitled_gpu_hours, 4);
    EXPECT_DOUBLE_EQ(y2026.tenants[0].share_shortfall_gpu_hours, 2);
    EXPECT_DOUBLE_EQ(y2026.tenants[1].share_shortfall_gpu_hours, 0);
    EXPECT_DOUBLE_EQ(y2026.all.demand_gpu_hours, 103);
    EXPECT_DOUBLE_EQ(y2026.all.delivered_gpu_hours, 8);
    EXPECT_DOUBLE_EQ(y2026.all.share_shortfall_gpu_hours, 2);
    const PeriodSummary& y2027 = s.by_year[1];
    EXPECT_DOUBLE_EQ(y2027.tenants[1].demand_gpu_hours, 0);
    EXPECT_DOUBLE_EQ(y2027.tenants[1].delivered_gpu_hours, 1);
    EXPECT_DOUBLE_EQ(y2027.tenants[0].share_shortfall_gpu_hours, 0);
    EXPECT_DOUBLE_EQ(y2027.tenants[1].share_shortfall_gpu_hours, 0);
    EXPECT_DOUBLE_EQ(s.tenants[0].entitled_gpu_hours, 5);
    EXPECT_DOUBLE_EQ(s.tenants[0].share_shortfall_gpu_hours, 2);
    EXPECT_DOUBLE_EQ(s.tenants[1].share_shortfall_gpu_hours, 0);
    // Classes ask too, but shares are the tenants' alone.
    const auto research = static_cast<std::size_t>(JobClass::research);
    EXPECT_DOUBLE_EQ(s.classes[research].demand_gpu_hours, 104);
    EXPECT_TRUE(std::isnan(s.classes[research].share_shortfall_gpu_hours));
    EXPECT_DOUBLE_EQ(s.tenant_classes[research].demand_gpu_hours, 4);
}

} // namespace
} // namespace capsim::metrics
