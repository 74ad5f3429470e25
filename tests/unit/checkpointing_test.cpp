#include "capsim/workload/checkpointing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace capsim::workload {
namespace {

const CheckpointPlan every_minute{60, 1, 10}; // tau 60 s, C 1 s, R 10 s

TEST(Checkpointing, ARunCheckpointsAfterEverySegmentButTheLast) {
    EXPECT_EQ(checkpoint_count(every_minute, 360), 5);   // 6 segments
    EXPECT_EQ(checkpoint_count(every_minute, 361), 6);   // 7 segments, the last of 1 s
    EXPECT_EQ(checkpoint_count(every_minute, 60), 0);
    EXPECT_EQ(checkpoint_count(every_minute, 0), 0);
    EXPECT_EQ(checkpoint_count(CheckpointPlan{}, 1e6), 0); // no interval: none
}

TEST(Checkpointing, WallTimeIsRestartPlusWorkPlusCheckpoints) {
    EXPECT_DOUBLE_EQ(run_wall_s(every_minute, 360, false), 360 + 5 * 1);
    EXPECT_DOUBLE_EQ(run_wall_s(every_minute, 360, true), 10 + 360 + 5 * 1);
    EXPECT_DOUBLE_EQ(run_wall_s(CheckpointPlan{}, 360, false), 360);
}

TEST(Checkpointing, AStopKeepsTheWorkOfTheLastCompletedCheckpoint) {
    // Fresh run: checkpoint k completes at k x 61 s.
    EXPECT_DOUBLE_EQ(saved_work_s(every_minute, 600, 60.9, false), 0);
    EXPECT_DOUBLE_EQ(saved_work_s(every_minute, 600, 61, false), 60);
    EXPECT_DOUBLE_EQ(saved_work_s(every_minute, 600, 300, false), 4 * 60); // floor(300 / 61) = 4
    // Resuming: the restart comes first, 200 s in is 190 s of segments, 3 checkpoints done.
    EXPECT_DOUBLE_EQ(saved_work_s(every_minute, 600, 200, true), 3 * 60);
    EXPECT_DOUBLE_EQ(saved_work_s(every_minute, 600, 5, true), 0);
    // Never more checkpoints than the run takes: 150 s of work has 2 (after 60 and 120 s).
    EXPECT_DOUBLE_EQ(saved_work_s(every_minute, 150, 152, false), 120);
    EXPECT_DOUBLE_EQ(saved_work_s(CheckpointPlan{}, 600, 500, false), 0);
}

TEST(Checkpointing, DalysIntervalTendsToYoungsAndStaysBelowIt) {
    // C = 20 s, M = 1.8 h: Young sqrt(2 x 20 x 6480) = 509.1 s; Daly
    // 509.1 x (1 + sqrt(20 / 12960) / 3 + (20 / 12960) / 9) - 20 = 495.9 s.
    const double young_s = std::sqrt(2 * 20 * 6480.0);
    const double r = 20 / 12960.0;
    EXPECT_NEAR(optimal_checkpoint_interval_s(20, 6480), young_s * (1 + std::sqrt(r) / 3 + r / 9) - 20, 1e-9);
    EXPECT_NEAR(optimal_checkpoint_interval_s(20, 6480), 495.87, 0.01);
    // C << M: within 0.1 % of Young's.
    EXPECT_NEAR(optimal_checkpoint_interval_s(1, 1e8) / std::sqrt(2e8), 1, 1e-3);
    // C >= 2M: checkpoint once per mean time to failure.
    EXPECT_DOUBLE_EQ(optimal_checkpoint_interval_s(100, 40), 40);
    // Nothing fails: never checkpoint; free checkpoints: once a second at most.
    EXPECT_TRUE(std::isinf(optimal_checkpoint_interval_s(20, std::numeric_limits<double>::infinity())));
    EXPECT_DOUBLE_EQ(optimal_checkpoint_interval_s(0, 3600), 1);
}

} // namespace
} // namespace capsim::workload
