#include "capsim/workload/gpu_power_load.hpp"

#include <gtest/gtest.h>

namespace capsim::workload {
namespace {

// Two orders of 8-GPU H100 nodes (idle 87.5 W, max 700 W) in one pool. A job at load 0.5 under the
// linear curve draws 393.75 W per GPU, 306.25 W above idle; on 8 + 4 GPUs of the two orders that is
// 2,450 W on the first and 1,225 W on the second. Square curve: 87.5 + 612.5 x 0.25 = 240.625 W.
TEST(GpuPowerLoad, AJobAddsItsPowerAboveIdleToTheOrdersOfItsNodes) {
    cluster::GpuCluster gpus;
    cluster::Pool pool;
    pool.gpus_per_node = 8;
    const std::uint32_t p = gpus.add_pool(pool);
    gpus.add_order(p, 2);
    gpus.add_order(p, 2);
    gpus.set_powered(0, 2);
    gpus.set_powered(1, 2);
    cluster::Allocation allocation;
    allocation.pool = p;
    allocation.nodes = {{0, 8}, {2, 4}}; // node 0 of order 0, node 2 of order 1

    GpuPowerLoad load(2, infra::PowerCurve{});
    load.add_pool(87.5, 700);
    load.change(allocation, 0.5, +1, gpus);
    EXPECT_DOUBLE_EQ(load.above_idle_w(0), 2450.0);
    EXPECT_DOUBLE_EQ(load.above_idle_w(1), 1225.0);
    load.change(allocation, 0.5, -1, gpus);
    EXPECT_DOUBLE_EQ(load.above_idle_w(0), 0.0);

    GpuPowerLoad square(2, infra::PowerCurve{infra::PowerCurve::Kind::square});
    square.add_pool(87.5, 700);
    square.change(allocation, 0.5, +1, gpus);
    EXPECT_DOUBLE_EQ(square.above_idle_w(1), 4 * (240.625 - 87.5));
}

} // namespace
} // namespace capsim::workload
