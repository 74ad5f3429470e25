#include "capsim/replay/replay_job.hpp"

#include <gtest/gtest.h>

namespace capsim::replay {
namespace {

workload::SwfRecord record(double run, std::int64_t allocated, std::int64_t requested, double requested_time) {
    workload::SwfRecord r;
    r.id = 7;
    r.submit_s = 50;
    r.run_s = run;
    r.allocated_processors = allocated;
    r.requested_processors = requested;
    r.requested_time_s = requested_time;
    return r;
}

TEST(ReplayJob, RequestedProcessorsWinOverAllocated) {
    EXPECT_EQ(admit(record(10, 4, 8, 20), 0, 100).job.processors, 8);
    EXPECT_EQ(admit(record(10, 4, -1, 20), 0, 100).job.processors, 4);
}

TEST(ReplayJob, RunIsCappedAtRequestedTimeWhichIsTheEstimate) {
    const ReplayJob killed = admit(record(500, 4, 4, 300), 3, 100).job;
    EXPECT_EQ(killed.run_s, 300);
    EXPECT_EQ(killed.estimate_s, 300);
    EXPECT_EQ(killed.trace_position, 3u);
    const ReplayJob early = admit(record(100, 4, 4, 300), 0, 100).job;
    EXPECT_EQ(early.run_s, 100);
    EXPECT_EQ(early.estimate_s, 300);
}

TEST(ReplayJob, WithoutRequestedTimeTheEstimateIsTheRunTime) {
    const ReplayJob job = admit(record(100, 4, 4, -1), 0, 100).job;
    EXPECT_EQ(job.run_s, 100);
    EXPECT_EQ(job.estimate_s, 100);
}

TEST(ReplayJob, ExclusionsAreClassified) {
    EXPECT_EQ(admit(record(0, 4, 4, 10), 0, 100).exclusion, Exclusion::skipped_run_time);
    EXPECT_EQ(admit(record(-1, 4, 4, 10), 0, 100).exclusion, Exclusion::skipped_run_time);
    EXPECT_EQ(admit(record(10, -1, -1, 10), 0, 100).exclusion, Exclusion::skipped_processors);
    EXPECT_EQ(admit(record(10, 101, 101, 10), 0, 100).exclusion, Exclusion::rejected_too_large);
    EXPECT_EQ(admit(record(10, 100, 100, 10), 0, 100).exclusion, Exclusion::none);
}

} // namespace
} // namespace capsim::replay
