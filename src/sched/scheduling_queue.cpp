#include "capsim/sched/scheduling_queue.hpp"

#include <algorithm>
#include <numeric>

#include "capsim/util/error.hpp"

namespace capsim::sched {

SchedulingQueue::SchedulingQueue(QueueOrder order, std::size_t tenants)
    : order_(order), queues_(order == QueueOrder::fairshare ? std::max<std::size_t>(tenants, 1) : 1) {
    // Before any factor is known every tenant counts the same: one group, interleaved by submit time.
    groups_.emplace_back(queues_.size());
    std::iota(groups_.back().begin(), groups_.back().end(), std::size_t{0});
}

JobQueue& SchedulingQueue::queue_of(std::size_t tenant, bool priority) {
    if (priority) return priority_;
    if (order_ != QueueOrder::fairshare) return queues_.front();
    if (tenant >= queues_.size()) throw InternalError("scheduling queue: no such tenant");
    return queues_[tenant];
}

void SchedulingQueue::push(const QueueEntry& entry, std::size_t tenant, bool priority) {
    queue_of(tenant, priority).insert(entry);
    ++size_;
}

void SchedulingQueue::erase(const QueueKey& key, std::size_t tenant, bool priority) {
    queue_of(tenant, priority).erase(key);
    --size_;
}

void SchedulingQueue::order_tenants(const std::vector<double>& factors) {
    if (order_ != QueueOrder::fairshare) return;
    if (factors.size() != queues_.size()) throw InternalError("scheduling queue: one factor per tenant expected");
    std::vector<std::size_t> tenants(queues_.size());
    std::iota(tenants.begin(), tenants.end(), std::size_t{0});
    std::stable_sort(tenants.begin(), tenants.end(),
                     [&](std::size_t a, std::size_t b) { return factors[a] > factors[b]; });
    groups_.clear();
    for (std::size_t i = 0; i < tenants.size(); ++i) {
        if (i == 0 || factors[tenants[i]] != factors[tenants[i - 1]]) groups_.emplace_back();
        groups_.back().push_back(tenants[i]);
    }
}

QueueWalk::QueueWalk(const SchedulingQueue& queue) : queue_(queue) {}

const QueueEntry* QueueWalk::advance(const StartBound* bound) {
    const StartBound any{};
    while (segment_ <= queue_.groups_.size()) {
        const QueueKey* after = last_ ? &*last_ : nullptr;
        const QueueEntry* best = nullptr;
        if (segment_ == 0) {
            // Reservations plan with the time left until their end, which shrinks as they wait: their
            // queued estimate is no bound, so only their size is.
            const StartBound units_only = bound ? bound->by_units_only() : any;
            best = queue_.priority_.next_startable(after, units_only);
        } else {
            for (const std::size_t q : queue_.groups_[segment_ - 1]) {
                const QueueEntry* e = queue_.queues_[q].next_startable(after, bound ? *bound : any);
                if (e && (!best || e->key < best->key)) best = e;
            }
        }
        if (best) {
            last_ = best->key;
            offered_.insert(best->job);
            return best;
        }
        ++segment_;
        last_.reset();
    }
    return nullptr;
}

} // namespace capsim::sched
