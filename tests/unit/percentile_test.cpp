#include "capsim/metrics/percentile.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "capsim/metrics/replay_summary.hpp"

namespace capsim::metrics {
namespace {

TEST(Percentile, InterpolatesLinearlyAsNumpyDoes) {
    const std::vector<double> v{1, 2, 3, 4};
    // numpy.percentile([1,2,3,4], [0, 50, 95, 100]) = [1, 2.5, 3.85, 4]
    EXPECT_DOUBLE_EQ(percentile_sorted(v, 0), 1);
    EXPECT_DOUBLE_EQ(percentile_sorted(v, 50), 2.5);
    EXPECT_DOUBLE_EQ(percentile_sorted(v, 95), 3.85);
    EXPECT_DOUBLE_EQ(percentile_sorted(v, 100), 4);
    EXPECT_TRUE(std::isnan(percentile_sorted({}, 50)));
}

TEST(ReplaySummary, HandComputedMetrics) {
    // P = 4. Job A: submit 0, start 0, run 100, 4 procs. Job B: submit 10, start 100, run 5, 2 procs.
    std::vector<replay::JobOutcome> jobs(2);
    jobs[0].job = {1, 0, 100, 100, 4, 0};
    jobs[0].start_s = 0;
    jobs[0].end_s = 100;
    jobs[1].job = {2, 10, 5, 5, 2, 1};
    jobs[1].start_s = 100;
    jobs[1].end_s = 105;
    const ReplaySummary s = summarize(jobs, 4);
    EXPECT_DOUBLE_EQ(s.wait_mean_s, 45);           // (0 + 90) / 2
    EXPECT_DOUBLE_EQ(s.flow_mean_s, 97.5);         // (100 + 95) / 2
    // A: max(1, 100/100) = 1; B: (90 + 5) / max(5, 10) = 9.5
    EXPECT_DOUBLE_EQ(s.bounded_slowdown_mean, 5.25);
    EXPECT_DOUBLE_EQ(s.bounded_slowdown_max, 9.5);
    EXPECT_DOUBLE_EQ(s.makespan_s, 105);
    EXPECT_DOUBLE_EQ(s.utilization, (400.0 + 10.0) / (4 * 105.0));
    EXPECT_DOUBLE_EQ(s.wait_p50_s, 45);
}

TEST(ReplaySummary, NoJobsGivesNaNNotZero) {
    const ReplaySummary s = summarize({}, 4);
    EXPECT_EQ(s.jobs, 0u);
    EXPECT_TRUE(std::isnan(s.wait_mean_s));
    EXPECT_TRUE(std::isnan(s.utilization));
}

} // namespace
} // namespace capsim::metrics
