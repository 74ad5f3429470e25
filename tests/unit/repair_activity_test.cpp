#include "capsim/workload/repair_activity.hpp"

#include <gtest/gtest.h>

#include "capsim/util/error.hpp"

namespace capsim::workload {
namespace {

TEST(RepairActivity, StepsCountFailuresAndIntegrateNodesAndGpusInRepair) {
    RepairActivity repairs(2);
    WorkloadResult out;
    // Site 1: an 8-GPU node fails at 0 and is back at 30 min; a 72-GPU rack fails at 45 min.
    repairs.failed(1, 8);
    repairs.integrate(1800);
    repairs.repaired(1, 8);
    repairs.integrate(900);
    repairs.failed(1, 72);
    repairs.integrate(900); // the hour ends
    repairs.close_step(3600, out);
    ASSERT_EQ(out.site_count, 2u);
    ASSERT_EQ(out.node_failures.size(), 2u);
    EXPECT_EQ(out.node_failures[0], 0);
    EXPECT_EQ(out.node_failures[1], 2);
    EXPECT_DOUBLE_EQ(out.nodes_in_repair[1], (1800 + 900) / 3600.0); // node-seconds over the hour
    EXPECT_DOUBLE_EQ(out.unavailable_gpu_hours[1], (8 * 1800 + 72 * 900) / 3600.0);
    // The rack is still out in the next step, which starts from zero.
    repairs.integrate(3600);
    repairs.close_step(3600, out);
    EXPECT_EQ(out.node_failures[3], 0);
    EXPECT_DOUBLE_EQ(out.nodes_in_repair[3], 1);
    EXPECT_DOUBLE_EQ(out.unavailable_gpu_hours[3], 72);
    EXPECT_EQ(repairs.nodes_in_repair(1), 1);
}

TEST(RepairActivity, RepairingANodeThatIsNotInRepairIsAnInternalError) {
    RepairActivity repairs(1);
    EXPECT_THROW(repairs.repaired(0, 8), InternalError);
}

} // namespace
} // namespace capsim::workload
