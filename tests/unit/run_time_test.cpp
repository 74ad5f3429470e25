#include "capsim/workload/run_time.hpp"

#include <gtest/gtest.h>

namespace capsim::workload {
namespace {

TEST(RunTime, FlopsRunAtMfuOfThePeakOfTheGpusTheyLandOn) {
    WorkloadSpec w;
    w.work.kind = WorkSpec::Kind::flops;
    w.work.mfu = 0.4;
    // 1e21 FLOP on 8 GPUs of 1e15 FLOP/s at 40 %: 1e21 / 3.2e15 = 312,500 s; twice the peak, half the time.
    EXPECT_DOUBLE_EQ(run_time_s(w, 1e21, 8, 1e15), 312'500.0);
    EXPECT_DOUBLE_EQ(run_time_s(w, 1e21, 8, 2e15), 156'250.0);
}

TEST(RunTime, GpuHoursScaleByTheReferenceGpuOverTheActualOne) {
    WorkloadSpec w;
    w.work.kind = WorkSpec::Kind::gpu_hours;
    w.work.reference_peak_flops = 1e15;
    // 100 GPU-hours of the reference GPU on 4 GPUs twice as fast: 100 x 3600 x 0.5 / 4 = 45,000 s.
    EXPECT_DOUBLE_EQ(run_time_s(w, 100, 4, 2e15), 45'000.0);
}

TEST(RunTime, DurationsAndTraceJobsTakeTheirTimeOnAnyGpu) {
    WorkloadSpec w;
    w.work.kind = WorkSpec::Kind::duration;
    EXPECT_EQ(run_time_s(w, 1800, 8, 1e15), 1800);
    w.work.kind = WorkSpec::Kind::flops;
    w.trace.push_back({});
    EXPECT_EQ(run_time_s(w, 1800, 8, 1e15), 1800); // a trace gives run times, not work
}

} // namespace
} // namespace capsim::workload
