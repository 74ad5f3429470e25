#include "capsim/sched/availability_profile.hpp"

#include <gtest/gtest.h>

namespace capsim::sched {
namespace {

TEST(AvailabilityProfile, WorkedExampleFromTheHeader) {
    // 10 units, now = 0, a 6-unit job running until 100.
    const std::vector<RunningJob> running{{0, 6, 100}};
    AvailabilityProfile profile;
    profile.reset(0, 4, running);
    EXPECT_EQ(profile.free_at(0), 4);
    EXPECT_EQ(profile.free_at(99.5), 4);
    EXPECT_EQ(profile.free_at(100), 10);
    EXPECT_EQ(profile.earliest_start(8, 50), 100);
    EXPECT_EQ(profile.earliest_start(4, 1e9), 0);
    profile.reserve(8, 100, 150);
    EXPECT_EQ(profile.free_at(100), 2);
    EXPECT_EQ(profile.free_at(150), 10);
    EXPECT_EQ(profile.step_count(), 3u);
    // A 3-unit job of 60 s fits now only if it ends by 100; otherwise after 150.
    EXPECT_EQ(profile.earliest_start(3, 100), 0);
    EXPECT_EQ(profile.earliest_start(3, 101), 150);
    EXPECT_EQ(profile.earliest_start(2, 1000), 0);
}

TEST(AvailabilityProfile, JobsEndingTogetherMakeOneStep) {
    const std::vector<RunningJob> running{{0, 2, 50}, {1, 3, 50}, {2, 1, 70}};
    AvailabilityProfile profile;
    profile.reset(10, 4, running);
    EXPECT_EQ(profile.step_count(), 3u);
    EXPECT_EQ(profile.free_at(50), 9);
    EXPECT_EQ(profile.free_at(70), 10);
}

TEST(AvailabilityProfile, FindsAGapBetweenReservations) {
    AvailabilityProfile profile;
    profile.reset(0, 10, {});
    profile.reserve(10, 100, 200);
    EXPECT_EQ(profile.earliest_start(5, 100), 0);  // [0, 100) ends as the reservation begins
    EXPECT_EQ(profile.earliest_start(5, 101), 200);
    profile.reserve(6, 0, 50);
    EXPECT_EQ(profile.earliest_start(5, 50), 50);
    EXPECT_EQ(profile.earliest_start(4, 50), 0);
}

} // namespace
} // namespace capsim::sched
