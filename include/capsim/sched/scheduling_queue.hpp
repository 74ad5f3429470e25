#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "capsim/sched/job_queue.hpp"
#include "capsim/sched/queue_order.hpp"
#include "capsim/sched/start_bound.hpp"

namespace capsim::sched {

/// The one queue of trace replays and scenario runs: a priority segment first (urgent jobs and
/// inference reservations, by class then submit time), then every other job in the scheduler's order.
/// Under fairshare, each tenant has its own queue in submit order and a pass walks the tenants by
/// factor, highest first, interleaving tenants of equal factor by submit time; a change of factors
/// therefore only reorders tenants, it never re-sorts jobs.
class SchedulingQueue {
public:
    explicit SchedulingQueue(QueueOrder order, std::size_t tenants = 1);

    QueueOrder order() const { return order_; }
    /// Adds a job; `entry.key` must be queue_key(order(), ...) of the job (the priority key for the
    /// priority segment).
    void push(const QueueEntry& entry, std::size_t tenant, bool priority);
    /// Removes a job pushed with the same key, tenant and segment.
    void erase(const QueueKey& key, std::size_t tenant, bool priority);

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const JobQueue& priority_segment() const { return priority_; }

    /// Under fairshare: the tenants' factors for the walks that follow (one per tenant).
    void order_tenants(const std::vector<double>& factors);

private:
    friend class QueueWalk;
    JobQueue& queue_of(std::size_t tenant, bool priority);

    std::size_t group_count() const { return group_end_.size(); }
    std::span<const std::size_t> group(std::size_t g) const;

    QueueOrder order_;
    JobQueue priority_;
    std::vector<JobQueue> queues_; // one, or one per tenant under fairshare
    /// The walk's segments after the priority one: groups of queues whose jobs interleave by key,
    /// group g being queue_order_[group_end_[g - 1] .. group_end_[g]).
    std::vector<std::size_t> queue_order_;
    std::vector<std::size_t> group_end_;
    std::size_t size_ = 0;
};

/// One pass's walk over a SchedulingQueue in queue order. A policy asks for the next job, or for the
/// next job that the machine's start bound allows (skipping, in O(log n), the jobs that cannot start).
/// The walk remembers every job it offered, so that the pass can check that a start is of one of
/// them, and started at most once.
class QueueWalk {
public:
    explicit QueueWalk(const SchedulingQueue& queue) { restart(queue); }
    /// Starts a new walk from the head (keeping the storage of the last one).
    void restart(const SchedulingQueue& queue);

    const QueueEntry* next() { return advance(nullptr); }
    const QueueEntry* next_startable(const StartBound& bound) { return advance(&bound); }
    /// The job next_startable(bound) would offer, or null; the walk does not move. O(log n) per queue.
    const QueueEntry* peek_startable(const StartBound& bound) const;

    /// Marks an offered job as started; false if the walk never offered it or it was marked before.
    /// Policies start the job they were just offered, so the search from the newest is O(1) for them.
    bool mark_started(std::uint32_t job);

private:
    const QueueEntry* advance(const StartBound* bound);
    /// The next job after (`segment`, `last`) that `bound` allows (any job without one), moving them on.
    const QueueEntry* find(std::size_t& segment, std::optional<QueueKey>& last, const StartBound* bound) const;
    /// next(): the same as find without a bound, stepping cursors instead of searching from the root.
    const QueueEntry* advance_in_order();
    const JobQueue& queue_at(std::size_t index) const; // 0: the priority segment, 1 + q: queues_[q]

    struct Offer {
        std::uint32_t job;
        bool started;
    };
    const SchedulingQueue* queue_ = nullptr;
    std::size_t segment_ = 0; // 0: the priority segment; s > 0: group s - 1
    std::optional<QueueKey> last_;
    std::vector<Offer> offers_;
    // One cursor per queue (as queue_at numbers them); a synced one stands at its queue's first job
    // after last_. A jump by next_startable, or a new segment, unsyncs them all.
    std::vector<JobQueue::Cursor> cursors_;
    std::vector<char> synced_;
};

} // namespace capsim::sched
