#include "capsim/workload/preemption.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace capsim::workload {
namespace {

TEST(Preemption, ResearchFirstThenFineTuningThenTrainingTheNewestFirst) {
    const std::vector<RunningCandidate> running{
        {1, JobClass::training, 100, 8},   {2, JobClass::research, 50, 2},  {3, JobClass::inference, 10, 8},
        {4, JobClass::research, 200, 2},   {5, JobClass::fine_tuning, 300, 4}, {6, JobClass::urgent, 20, 4},
        {7, JobClass::research, 200, 1}};
    const auto order = preemption_order(running, 0, 8);
    ASSERT_TRUE(order);
    // research 7 and 4 started at 200 (the higher job index first at a tie), then 2; fine-tuning 5;
    // training 1. Inference 3 and urgent 6 are never stopped.
    EXPECT_EQ(*order, (std::vector<std::uint32_t>{7, 4, 2, 5, 1}));
}

TEST(Preemption, NothingWhenStoppingEveryPreemptibleJobWouldNotFreeEnough) {
    const std::vector<RunningCandidate> running{{1, JobClass::research, 0, 4}, {2, JobClass::inference, 0, 8}};
    EXPECT_FALSE(preemption_order(running, 2, 8)); // 2 free + 4 = 6 < 8
    const auto enough = preemption_order(running, 4, 8);
    ASSERT_TRUE(enough);
    EXPECT_EQ(*enough, (std::vector<std::uint32_t>{1}));
    const auto free_already = preemption_order({}, 8, 8); // enough free (placement may still need more)
    ASSERT_TRUE(free_already);
    EXPECT_TRUE(free_already->empty());
}

} // namespace
} // namespace capsim::workload
