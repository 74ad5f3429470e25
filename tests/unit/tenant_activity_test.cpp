#include "capsim/workload/tenant_activity.hpp"

#include <gtest/gtest.h>

namespace capsim::workload {
namespace {

// Two tenants over one 100 s step. Tenant 0: a 4-GPU job queued at 0, started at 40 on 8 GPUs (a
// whole node), stopped at 90. Tenant 1: a 2-GPU job queued from 50 on.
//   tenant 0: queued 40 s -> mean 0.4 jobs, 1.6 GPUs; running 50 s -> 0.5 jobs; busy 8 x 50 = 400 GPU-s
//             -> mean 4 GPUs, 400 / 3600 GPU-hours.
//   tenant 1: queued 50 s -> mean 0.5 jobs, 1 GPU; nothing run.
TEST(TenantActivity, StepMeansAreTheTimeIntegralsOverTheStep) {
    TenantActivity activity(2);
    WorkloadResult out;
    out.delivered_gpu_hours_total.assign(2, 0.0);
    activity.submitted(0);
    activity.queued(0, 4);
    activity.integrate(40);
    activity.left_queue(0, 4);
    activity.started(0, 8);
    EXPECT_EQ(activity.busy_gpus_total(), 8);
    EXPECT_EQ(activity.running_jobs_total(), 1);
    activity.integrate(10);
    activity.submitted(1);
    activity.queued(1, 2);
    activity.integrate(40);
    activity.stopped(0, 8);
    activity.integrate(10);
    activity.close_step(100, out);

    ASSERT_EQ(out.submitted_jobs.size(), 2u); // one step x two tenants, tenant-minor
    EXPECT_EQ(out.submitted_jobs[0], 1);
    EXPECT_EQ(out.submitted_jobs[1], 1);
    EXPECT_DOUBLE_EQ(out.queued_jobs[0], 0.4);
    EXPECT_DOUBLE_EQ(out.queued_gpus[0], 1.6);
    EXPECT_DOUBLE_EQ(out.running_jobs[0], 0.5);
    EXPECT_DOUBLE_EQ(out.busy_gpus[0], 4.0);
    EXPECT_DOUBLE_EQ(out.delivered_gpu_hours[0], 400.0 / 3600.0);
    EXPECT_DOUBLE_EQ(out.queued_jobs[1], 0.5);
    EXPECT_DOUBLE_EQ(out.queued_gpus[1], 1.0);
    EXPECT_DOUBLE_EQ(out.busy_gpus[1], 0.0);
    EXPECT_EQ(activity.busy_gpus_total(), 0);

    // The next step starts from zero integrals but keeps what is still queued.
    activity.integrate(50);
    activity.close_step(50, out);
    ASSERT_EQ(out.queued_jobs.size(), 4u);
    EXPECT_EQ(out.submitted_jobs[2], 0);
    EXPECT_DOUBLE_EQ(out.queued_jobs[3], 1.0);
    EXPECT_DOUBLE_EQ(out.delivered_gpu_hours_total[0], 400.0 / 3600.0);
}

} // namespace
} // namespace capsim::workload
