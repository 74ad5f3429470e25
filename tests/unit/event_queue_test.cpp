#include "capsim/engine/event_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace capsim::engine {
namespace {

TEST(EventQueue, OrdersByTimeThenPriorityThenInsertion) {
    EventQueue queue;
    queue.push(5.0, 1, 0, 10);
    queue.push(5.0, 0, 0, 11);
    queue.push(1.0, 9, 0, 12);
    queue.push(5.0, 0, 0, 13);
    queue.push(5.0, 1, 0, 14);
    std::vector<std::uint64_t> order;
    while (!queue.empty()) order.push_back(queue.pop().subject);
    EXPECT_EQ(order, (std::vector<std::uint64_t>{12, 11, 13, 10, 14}));
}

TEST(EventQueue, MatchesAStableSortOnRandomEvents) {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int> time(0, 50), priority(0, 2);
    EventQueue queue;
    std::vector<Event> expected;
    for (std::uint64_t i = 0; i < 5000; ++i) {
        const double t = time(rng);
        const auto p = static_cast<std::int16_t>(priority(rng));
        queue.push(t, p, 0, i);
        expected.push_back(Event{t, p, 0, 0, i, i});
    }
    std::stable_sort(expected.begin(), expected.end(), [](const Event& a, const Event& b) {
        return a.time_s != b.time_s ? a.time_s < b.time_s : a.priority < b.priority;
    });
    for (const Event& e : expected) {
        ASSERT_FALSE(queue.empty());
        EXPECT_EQ(queue.pop().subject, e.subject);
    }
    EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, InterleavedPushAndPopKeepOrder) {
    EventQueue queue;
    queue.push(10, 0, 0, 1);
    queue.push(20, 0, 0, 2);
    EXPECT_EQ(queue.pop().subject, 1u);
    queue.push(15, 0, 0, 3);
    queue.push(20, 0, 0, 4); // same time as 2, pushed later: after it
    EXPECT_EQ(queue.pop().subject, 3u);
    EXPECT_EQ(queue.pop().subject, 2u);
    EXPECT_EQ(queue.pop().subject, 4u);
}

} // namespace
} // namespace capsim::engine
