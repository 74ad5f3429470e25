// Hand-computed traces where the policies differ. Each case gives its timeline in a comment.
#include <gtest/gtest.h>

#include <vector>

#include "capsim/util/error.hpp"
#include "test_support.hpp"

namespace capsim {
namespace {

using test::replay_jobs;
using test::TraceJob;

std::vector<double> starts(const replay::ReplayResult& result) {
    std::vector<double> out;
    for (const auto& job : result.jobs) out.push_back(job.start_s);
    return out;
}

// P = 10. J1 (6 procs, 100 s) runs; J2 (8 procs) must wait for it: shadow 100, extra 2.
// J3 (4 procs, estimate 90) would end at 92 <= 100: EASY backfills it at t=2, FCFS holds it
// behind J2 until J2 ends at 150.
const std::vector<TraceJob> backfill_case = {
    {0, 6, 100, 100},
    {1, 8, 50, 50},
    {2, 4, 50, 90},
};

TEST(Policies, FcfsHoldsBackWhatEasyBackfills) {
    EXPECT_EQ(starts(replay_jobs(10, backfill_case, "fcfs")), (std::vector<double>{0, 100, 150}));
    EXPECT_EQ(starts(replay_jobs(10, backfill_case, "easy")), (std::vector<double>{0, 100, 2}));
    EXPECT_EQ(starts(replay_jobs(10, backfill_case, "conservative")), (std::vector<double>{0, 100, 2}));
}

// P = 10. J1 (5 procs, 100 s) runs. J2 (7 procs, 50 s) waits: shadow 100, extra 3. J3 (10 procs,
// 100 s) waits behind it. J4 (3 procs, 200 s) fits now and uses only the 3 extra processors, so EASY
// starts it at 3: J2 still starts at 100, but J3 now waits for J4 until 203. Conservative gives J3 a
// reservation at 150 that J4 would break, so J4 waits until J3 is done (250).
const std::vector<TraceJob> conservative_case = {
    {0, 5, 100, 100},
    {1, 7, 50, 50},
    {2, 10, 100, 100},
    {3, 3, 200, 200},
};

TEST(Policies, ConservativeProtectsEveryReservationEasyOnlyTheHead) {
    EXPECT_EQ(starts(replay_jobs(10, conservative_case, "easy")), (std::vector<double>{0, 100, 203, 3}));
    EXPECT_EQ(starts(replay_jobs(10, conservative_case, "conservative")), (std::vector<double>{0, 100, 150, 250}));
    EXPECT_EQ(starts(replay_jobs(10, conservative_case, "fcfs")), (std::vector<double>{0, 100, 150, 250}));
}

// P = 10. J1 and J2 (4 procs each) both end at 100; J3 (6 procs) waits. Both are released at the
// shadow time 100 before the extra processors are counted: extra = 10 - 6 = 4, so J4 (2 procs,
// 300 s, ends long after the shadow) backfills at t=2. Releasing only one of them would give
// extra = 0 and hold J4 back.
TEST(Policies, EasyReleasesEveryJobEndingAtTheShadowTime) {
    const std::vector<TraceJob> jobs = {{0, 4, 100, 100}, {0, 4, 100, 100}, {1, 6, 50, 50}, {2, 2, 300, 300}};
    EXPECT_EQ(starts(replay_jobs(10, jobs, "easy")), (std::vector<double>{0, 0, 100, 2}));
}

// P = 10. J1 (6 procs, 100 s) runs; head J2 (8 procs): shadow 100, extra 2. J3 (2 procs, estimate
// 98) ends at exactly 100: it does not consume the extra processors, so J4 (2 procs, 500 s) can
// still use them.
TEST(Policies, EasyJobEndingAtTheShadowDoesNotConsumeExtra) {
    const std::vector<TraceJob> jobs = {{0, 6, 100, 100}, {1, 8, 50, 50}, {2, 2, 98, 98}, {3, 2, 500, 500}};
    EXPECT_EQ(starts(replay_jobs(10, jobs, "easy")), (std::vector<double>{0, 100, 2, 3}));
}

// A backfilled job that ends after the shadow takes extra processors: with extra = 2, two 2-proc
// long jobs cannot both start (the second waits for the head).
TEST(Policies, EasyLongBackfillConsumesExtra) {
    const std::vector<TraceJob> jobs = {{0, 6, 100, 100}, {1, 8, 50, 50}, {2, 2, 500, 500}, {3, 2, 500, 500}};
    // J4 cannot start before J2 ends at 150 (J2 takes 8, J3 holds 2).
    EXPECT_EQ(starts(replay_jobs(10, jobs, "easy")), (std::vector<double>{0, 100, 2, 150}));
}

// P = 10. J1 (10 procs) runs 0-100 with an estimate of 200, so it ends early. J2 (10 procs) and
// J3 (2 procs, 10 s) are submitted at 100. Submissions come before the end at that instant, so under
// shortest-job-first J3 is ahead of J2 when the end's pass runs: J3 starts at 100, J2 at 110.
TEST(Policies, SubmissionsAtOneInstantComeBeforeEnds) {
    const std::vector<TraceJob> jobs = {{0, 10, 100, 200}, {100, 10, 1000, 1000}, {100, 2, 10, 10}};
    EXPECT_EQ(starts(replay_jobs(10, jobs, "fcfs", sched::QueueOrder::sjf)), (std::vector<double>{0, 110, 100}));
    // In submit order J2 is first and takes the whole machine at 100.
    EXPECT_EQ(starts(replay_jobs(10, jobs, "fcfs", sched::QueueOrder::fifo)), (std::vector<double>{0, 100, 1100}));
}

// A job that runs to its estimate frees its processors for submissions at that very instant, even
// though its end event comes after them: the scheduler knows its estimated end has come.
TEST(Policies, JobAtItsEstimatedEndIsFreeToSubmissionsAtThatInstant) {
    const std::vector<TraceJob> jobs = {{0, 10, 100, 100}, {100, 10, 50, 50}};
    for (const char* policy : {"fcfs", "easy", "conservative"}) {
        EXPECT_EQ(starts(replay_jobs(10, jobs, policy)), (std::vector<double>{0, 100})) << policy;
    }
}

// SJF orders by estimate: with the machine busy until 100, the short job goes first; J4 (estimate
// 60) ends early at 170, when J2 starts.
TEST(Policies, SjfStartsTheShortestEstimateFirst) {
    const std::vector<TraceJob> jobs = {{0, 10, 100, 100}, {1, 10, 300, 300}, {2, 10, 20, 20}, {3, 10, 50, 60}};
    EXPECT_EQ(starts(replay_jobs(10, jobs, "fcfs", sched::QueueOrder::sjf)), (std::vector<double>{0, 170, 100, 120}));
    EXPECT_EQ(starts(replay_jobs(10, jobs, "fcfs", sched::QueueOrder::fifo)), (std::vector<double>{0, 100, 400, 420}));
}

// Trace lines need not be sorted by submit time: the schedule depends on submit times and, for
// equal submit times, on the order of the lines, never on where a line sits otherwise.
TEST(Policies, UnsortedTraceGivesTheSameSchedule) {
    const std::vector<TraceJob> sorted = {{0, 6, 100, 100}, {1, 8, 50, 50}, {2, 4, 50, 90}, {2, 2, 10, 10}};
    const std::vector<TraceJob> shuffled = {sorted[2], sorted[0], sorted[3], sorted[1]};
    for (const char* policy : {"fcfs", "easy", "conservative"}) {
        const auto a = replay_jobs(10, sorted, policy);
        const auto b = replay_jobs(10, shuffled, policy);
        EXPECT_EQ(b.jobs[1].start_s, a.jobs[0].start_s) << policy;
        EXPECT_EQ(b.jobs[3].start_s, a.jobs[1].start_s) << policy;
        EXPECT_EQ(b.jobs[0].start_s, a.jobs[2].start_s) << policy;
        EXPECT_EQ(b.jobs[2].start_s, a.jobs[3].start_s) << policy;
    }
}

TEST(Policies, RunTimeIsCappedAtTheRequestedTime) {
    const auto result = replay_jobs(10, {{0, 10, 500, 100}, {0, 10, 10, 100}}, "fcfs");
    EXPECT_EQ(result.jobs[0].end_s, 100);  // killed at its requested time
    EXPECT_EQ(result.jobs[1].start_s, 100);
}

TEST(Policies, UnknownPolicyNameSuggestsTheNearest) {
    try {
        replay_jobs(10, {{0, 1, 1, 1}}, "esay");
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("did you mean 'easy'?"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace capsim
