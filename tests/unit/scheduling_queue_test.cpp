// The one queue: the priority segment first, then the scheduler's order; under fair share, tenants by
// factor, and tenants of equal factor interleaved by submit time.
#include <gtest/gtest.h>

#include <vector>

#include "capsim/sched/scheduling_queue.hpp"

namespace capsim {
namespace {

using sched::QueueOrder;
using sched::SchedulingQueue;

std::vector<std::uint32_t> walk(const SchedulingQueue& queue) {
    sched::QueueWalk w(queue);
    std::vector<std::uint32_t> jobs;
    for (const auto* e = w.next(); e; e = w.next()) jobs.push_back(e->job);
    return jobs;
}

void push(SchedulingQueue& q, std::uint32_t job, double submit_s, std::size_t tenant, bool priority = false) {
    const QueueOrder order = priority ? QueueOrder::priority : q.order();
    q.push({sched::queue_key(order, submit_s, 10.0, 0, job), job, 1, 10.0}, tenant, priority);
}

TEST(SchedulingQueue, FairShareWalksTenantsByFactorAndInterleavesEqualOnes) {
    SchedulingQueue q(QueueOrder::fairshare, 3);
    push(q, 0, 0, 0);
    push(q, 1, 1, 1);
    push(q, 2, 2, 2);
    push(q, 3, 3, 0);
    push(q, 4, 4, 1);
    push(q, 5, 5, 0, true); // an urgent job comes first whatever its tenant
    EXPECT_EQ(walk(q), (std::vector<std::uint32_t>{5, 0, 1, 2, 3, 4})); // no factors yet: all equal
    q.order_tenants({0.25, 1.0, 0.5});
    EXPECT_EQ(walk(q), (std::vector<std::uint32_t>{5, 1, 4, 2, 0, 3}));
    q.order_tenants({0.5, 0.25, 0.5}); // tenants 0 and 2 tie: by submit time, then tenant 1
    EXPECT_EQ(walk(q), (std::vector<std::uint32_t>{5, 0, 2, 3, 1, 4}));
    q.erase(sched::queue_key(QueueOrder::fairshare, 0, 10.0, 0, 0), 0, false);
    EXPECT_EQ(walk(q), (std::vector<std::uint32_t>{5, 2, 3, 1, 4}));
    EXPECT_EQ(q.size(), 5u);
}

TEST(SchedulingQueue, ShortestJobFirstOrdersByEstimateThenSubmitTime) {
    SchedulingQueue q(QueueOrder::sjf);
    q.push({sched::queue_key(QueueOrder::sjf, 0, 300, 0, 0), 0, 1, 300}, 0, false);
    q.push({sched::queue_key(QueueOrder::sjf, 1, 100, 0, 1), 1, 1, 100}, 0, false);
    q.push({sched::queue_key(QueueOrder::sjf, 2, 100, 0, 2), 2, 1, 100}, 0, false);
    EXPECT_EQ(walk(q), (std::vector<std::uint32_t>{1, 2, 0}));
}

TEST(SchedulingQueue, WalkRemembersWhatItOffered) {
    SchedulingQueue q(QueueOrder::fifo);
    push(q, 7, 0, 0);
    push(q, 8, 1, 0);
    sched::QueueWalk w(q);
    ASSERT_EQ(w.next()->job, 7u);
    EXPECT_FALSE(w.mark_started(8)); // not offered yet
    EXPECT_TRUE(w.mark_started(7));
    EXPECT_FALSE(w.mark_started(7)); // not twice
}

} // namespace
} // namespace capsim
