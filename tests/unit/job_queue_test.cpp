// The job queue against a sorted vector: random inserts and erases keep key order, and the next job a
// start bound allows is the first such job of a linear scan.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "capsim/sched/job_queue.hpp"
#include "capsim/util/error.hpp"

namespace capsim {
namespace {

using sched::JobQueue;
using sched::QueueEntry;
using sched::StartBound;

QueueEntry entry(std::uint32_t job, double first, std::int64_t units, double estimate_s) {
    return {{first, 0.0, job}, job, units, estimate_s};
}

const QueueEntry* first_allowed(const std::vector<QueueEntry>& sorted, const sched::QueueKey* after,
                                const StartBound& bound) {
    for (const QueueEntry& e : sorted) {
        if (after && !(*after < e.key)) continue;
        if (bound.might_start(e.units, e.estimate_s)) return &e;
    }
    return nullptr;
}

TEST(JobQueue, KeepsKeyOrderThroughInsertsAndErases) {
    JobQueue queue;
    queue.insert(entry(1, 5.0, 1, 10));
    queue.insert(entry(2, 1.0, 1, 10));
    queue.insert(entry(3, 5.0, 1, 10)); // same first key: the tie (job) decides
    queue.insert(entry(4, 3.0, 1, 10));
    std::vector<std::uint32_t> order;
    for (const auto& e : queue.entries()) order.push_back(e.job);
    EXPECT_EQ(order, (std::vector<std::uint32_t>{2, 4, 1, 3}));
    queue.erase({5.0, 0.0, 1});
    order.clear();
    for (const auto& e : queue.entries()) order.push_back(e.job);
    EXPECT_EQ(order, (std::vector<std::uint32_t>{2, 4, 3}));
    EXPECT_EQ(queue.size(), 3u);
    EXPECT_THROW(queue.erase({5.0, 0.0, 1}), InternalError);
}

// 10 units free, 2 extra at a shadow 100 s away: job 1 (12 units) cannot fit, job 2 (4 units, 300 s)
// would delay the head, job 3 (4 units, 50 s) ends in time.
TEST(JobQueue, NextStartableSkipsWhatTheBoundExcludes) {
    JobQueue queue;
    queue.insert(entry(1, 1.0, 12, 50));
    queue.insert(entry(2, 2.0, 4, 300));
    queue.insert(entry(3, 3.0, 4, 50));
    queue.insert(entry(4, 4.0, 2, 300));
    const StartBound bound{10, 2, 100};
    const QueueEntry* e = queue.next_startable(nullptr, bound);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->job, 3u);
    e = queue.next_startable(&e->key, bound);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->job, 4u); // 2 units fit in the extra ones, however long it runs
    EXPECT_EQ(queue.next_startable(&e->key, bound), nullptr);
}

TEST(JobQueue, AgreesWithALinearScanOnRandomOperations) {
    std::mt19937_64 rng(3);
    JobQueue queue;
    std::vector<QueueEntry> reference;
    std::uniform_int_distribution<int> submit(0, 50), units(1, 64), op(0, 9);
    std::uniform_real_distribution<double> estimate(1, 1000);
    std::uint32_t next_job = 0;
    for (int step = 0; step < 4000; ++step) {
        if (op(rng) < 6 || reference.empty()) {
            const QueueEntry e = entry(next_job++, submit(rng), units(rng), estimate(rng));
            queue.insert(e);
            reference.insert(std::upper_bound(reference.begin(), reference.end(), e,
                                              [](const QueueEntry& a, const QueueEntry& b) { return a.key < b.key; }),
                             e);
        } else {
            std::uniform_int_distribution<std::size_t> pick(0, reference.size() - 1);
            const std::size_t i = pick(rng);
            queue.erase(reference[i].key);
            reference.erase(reference.begin() + static_cast<std::ptrdiff_t>(i));
        }
        ASSERT_EQ(queue.size(), reference.size());
        if (step % 50 != 0) continue;
        const auto entries = queue.entries();
        for (std::size_t i = 0; i < entries.size(); ++i) ASSERT_EQ(entries[i].job, reference[i].job);
        const StartBound bound{units(rng), units(rng) / 4, estimate(rng)};
        const sched::QueueKey* after = nullptr;
        while (true) {
            const QueueEntry* got = queue.next_startable(after, bound);
            const QueueEntry* want = first_allowed(reference, after, bound);
            ASSERT_EQ(got == nullptr, want == nullptr);
            if (!got) break;
            ASSERT_EQ(got->job, want->job);
            after = &got->key;
        }
        // A cursor from any position walks the rest in key order, as next() does.
        const std::size_t from = reference.empty() ? 0 : static_cast<std::size_t>(step) % reference.size();
        JobQueue::Cursor cursor;
        cursor.seek(queue, reference.empty() ? nullptr : &reference[from].key);
        for (std::size_t i = reference.empty() ? 0 : from + 1; i < reference.size(); ++i) {
            ASSERT_NE(cursor.current(), nullptr);
            ASSERT_EQ(cursor.current()->job, reference[i].job);
            cursor.advance();
        }
        ASSERT_EQ(cursor.current(), nullptr);
    }
}

TEST(JobQueue, ACursorUsedAfterTheQueueChangedIsAnInternalError) {
    JobQueue queue;
    queue.insert(entry(1, 1, 1, 1));
    JobQueue::Cursor cursor;
    cursor.seek(queue, nullptr);
    ASSERT_EQ(cursor.current()->job, 1u);
    queue.insert(entry(2, 2, 1, 1));
    EXPECT_THROW(cursor.current(), InternalError);
}

} // namespace
} // namespace capsim
