// Node failures in the GPU cluster: a failed node places nothing and draws nothing, hands its power
// to a dark working node of its order, and comes back when repaired.
#include "capsim/cluster/gpu_cluster.hpp"

#include <gtest/gtest.h>

#include "capsim/util/error.hpp"

namespace capsim::cluster {
namespace {

GpuCluster cluster_of(std::int64_t nodes, std::int64_t powered) {
    GpuCluster cluster;
    Pool pool;
    pool.gpus_per_node = 8;
    cluster.add_pool(pool);
    cluster.add_order(0, nodes);
    cluster.set_powered(0, powered);
    return cluster;
}

TEST(GpuClusterFailures, JobsOnAFailedNodeAreReturnedAndItsGpusLeaveThePool) {
    GpuCluster cluster = cluster_of(2, 2);
    const Allocation small = cluster.allocate(0, 4, 7);
    const std::uint32_t node = small.nodes.front().first;
    EXPECT_EQ(cluster.free_gpus(0), 12);
    const std::vector<std::uint32_t> stopped = cluster.fail(node);
    EXPECT_EQ(stopped, std::vector<std::uint32_t>{7});
    EXPECT_TRUE(cluster.is_failed(node));
    cluster.release(small, 7);
    EXPECT_EQ(cluster.free_gpus(0), 8); // only the working node
    EXPECT_EQ(cluster.pool(0).busy_gpus, 0);
    EXPECT_EQ(cluster.failed_powered_nodes(0), 1); // no dark node to take over: powered, drawing nothing
    EXPECT_FALSE(cluster.fits_now(0, 16));
    const Allocation next = cluster.allocate(0, 8, 9);
    EXPECT_NE(next.nodes.front().first, node);
    cluster.check_consistency();
    cluster.repair(node);
    EXPECT_FALSE(cluster.is_failed(node));
    EXPECT_EQ(cluster.failed_powered_nodes(0), 0);
    EXPECT_EQ(cluster.free_gpus(0), 8);
    EXPECT_THROW(cluster.repair(node), InternalError);
    cluster.check_consistency();
}

TEST(GpuClusterFailures, APoweredNodeThatFailsHandsItsPowerToADarkWorkingNode) {
    GpuCluster cluster = cluster_of(3, 2); // nodes 0 and 1 powered, node 2 dark
    cluster.fail(0);
    EXPECT_EQ(cluster.failed_powered_nodes(0), 0); // node 2 was powered instead
    EXPECT_EQ(cluster.free_gpus(0), 16);
    cluster.check_consistency();
    // Another failure finds no dark working node: it stays powered, drawing nothing.
    cluster.fail(1);
    EXPECT_EQ(cluster.failed_powered_nodes(0), 1);
    EXPECT_EQ(cluster.free_gpus(0), 8);
    // The grid takes one node away: the failed one goes dark first, the working one stays.
    cluster.set_powered(0, 1);
    EXPECT_EQ(cluster.failed_powered_nodes(0), 0);
    EXPECT_EQ(cluster.free_gpus(0), 8);
    // Powering nodes again prefers working ones: node 0 is repaired while dark.
    cluster.repair(0);
    cluster.set_powered(0, 2);
    EXPECT_EQ(cluster.free_gpus(0), 16);
    EXPECT_EQ(cluster.failed_powered_nodes(0), 0);
    cluster.set_powered(0, 3); // now only the failed node is left to power
    EXPECT_EQ(cluster.failed_powered_nodes(0), 1);
    EXPECT_EQ(cluster.free_gpus(0), 16);
    cluster.check_consistency();
    EXPECT_THROW(cluster.fail(1), InternalError); // already failed
}

TEST(GpuClusterFailures, AMultiNodeJobIsReturnedByAFailureOfAnyOfItsNodes) {
    GpuCluster cluster = cluster_of(4, 4);
    const Allocation big = cluster.allocate(0, 24, 3); // three whole nodes
    ASSERT_EQ(big.nodes.size(), 3u);
    EXPECT_EQ(cluster.fail(big.nodes[1].first), std::vector<std::uint32_t>{3});
    cluster.release(big, 3);
    EXPECT_EQ(cluster.free_gpus(0), 24); // the two other nodes are whole again, and the fourth
    EXPECT_TRUE(cluster.fits_now(0, 24));
    EXPECT_FALSE(cluster.fits_now(0, 32));
    cluster.check_consistency();
}

TEST(GpuClusterFailures, ASpareTakesTheFailedNodesJobsAndTheRepairedNodeBecomesTheSpare) {
    GpuCluster cluster;
    Pool pool;
    pool.gpus_per_node = 8;
    cluster.add_pool(pool);
    cluster.add_order(0, 3, 1); // node 0 is the spare
    cluster.set_powered(0, 3);
    EXPECT_EQ(cluster.free_gpus(0), 16); // the spare is powered but out of the pool
    const Allocation a = cluster.allocate(0, 4, 5);
    const Allocation b = cluster.allocate(0, 2, 6); // best fit: on a's node
    ASSERT_EQ(a.nodes.front().first, b.nodes.front().first);
    const std::uint32_t node = a.nodes.front().first;
    EXPECT_NE(node, 0u);
    ASSERT_EQ(cluster.spare_for(node), 0);
    EXPECT_EQ(cluster.replace_with_spare(node, 0), (std::vector<std::uint32_t>{5, 6}));
    EXPECT_TRUE(cluster.is_failed(node));
    EXPECT_EQ(cluster.spare_for(node), -1); // the only spare is in use, the failed node is out
    EXPECT_EQ(cluster.free_gpus(0), 10);   // 16 less the 6 the jobs hold, now on node 0
    EXPECT_EQ(cluster.failed_powered_nodes(0), 1);
    cluster.check_consistency();
    EXPECT_THROW(cluster.release(a, 5), InternalError) << "the job is no longer on the failed node";
    Allocation moved_a = a, moved_b = b;
    moved_a.nodes.front().first = 0;
    moved_b.nodes.front().first = 0;
    cluster.release(moved_a, 5);
    cluster.release(moved_b, 6);
    EXPECT_EQ(cluster.free_gpus(0), 16);
    cluster.repair(node);
    EXPECT_EQ(cluster.free_gpus(0), 16); // back as the spare
    EXPECT_EQ(cluster.spare_for(0), static_cast<std::int64_t>(node));
    cluster.check_consistency();
}

} // namespace
} // namespace capsim::cluster
