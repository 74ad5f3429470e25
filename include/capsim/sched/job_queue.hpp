#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "capsim/sched/queue_order.hpp"
#include "capsim/sched/start_bound.hpp"

namespace capsim::sched {

/// A queued job as the queue keeps it: where it stands, and what a start bound looks at.
struct QueueEntry {
    QueueKey key;
    std::uint32_t job = 0;
    std::int64_t units = 0; // what it asks for: processors, or GPUs
    double estimate_s = 0;  // what the policy sees
};

/// Jobs in key order, kept sorted as they come and go: insert and erase are O(log n), and so is
/// finding the next job after a given key that a start bound allows, however deep the queue. That
/// last query is what keeps a scheduling pass from walking jobs that cannot start.
///
/// A treap (a binary search tree balanced by random priorities, drawn here from a fixed sequence, so
/// the shape is the same on every run); each node also holds the smallest units and estimate in its
/// subtree, so whole subtrees that a bound excludes are skipped.
class JobQueue {
public:
    void insert(const QueueEntry& entry);
    /// Removes the entry with this key; throws InternalError if there is none.
    void erase(const QueueKey& key);

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    /// The first entry in key order (after `after`, when given), or nullptr.
    const QueueEntry* next(const QueueKey* after) const;
    /// The first entry after `after` (from the head when null) that `bound` allows, or nullptr.
    const QueueEntry* next_startable(const QueueKey* after, const StartBound& bound) const;

    /// Every entry in key order (for small queues and tests).
    std::vector<QueueEntry> entries() const;

    /// A walk in key order over a queue that does not change meanwhile (as in a scheduling pass):
    /// seek is O(log n), each step O(1) amortised, where next() searches from the root each time.
    /// Using a cursor after the queue changed is an InternalError.
    class Cursor {
    public:
        /// To the first entry after `after` (the head when null).
        void seek(const JobQueue& queue, const QueueKey* after);
        /// The entry at the cursor, or nullptr past the last.
        const QueueEntry* current() const;
        void advance();

    private:
        void check() const;
        const JobQueue* queue_ = nullptr;
        std::vector<std::uint32_t> stack_; // the path of nodes still to visit; the top is current
        std::uint64_t version_ = 0;
    };

private:
    static constexpr std::uint32_t nil = UINT32_MAX;
    struct Node {
        QueueEntry entry;
        std::uint32_t priority = 0;
        std::uint32_t left = nil, right = nil;
        std::int64_t min_units = 0;
        double min_estimate_s = 0;
    };

    void pull(std::uint32_t n);
    /// Splits `n` into keys < key (left) and keys >= key (right).
    void split(std::uint32_t n, const QueueKey& key, std::uint32_t& left, std::uint32_t& right);
    std::uint32_t merge(std::uint32_t left, std::uint32_t right);
    std::uint32_t find_first(std::uint32_t n, const QueueKey* after, const StartBound& bound) const;
    std::uint32_t new_node(const QueueEntry& entry);

    std::vector<Node> nodes_;
    std::vector<std::uint32_t> free_nodes_;
    std::uint32_t root_ = nil;
    std::size_t size_ = 0;
    std::uint64_t version_ = 0; // bumped by every insert and erase, so a stale cursor is caught
    std::uint64_t priority_state_ = 0x9e3779b97f4a7c15ULL;
};

} // namespace capsim::sched
