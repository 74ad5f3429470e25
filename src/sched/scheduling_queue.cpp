#include "capsim/sched/scheduling_queue.hpp"

#include <algorithm>
#include <numeric>

#include "capsim/util/error.hpp"

namespace capsim::sched {

SchedulingQueue::SchedulingQueue(QueueOrder order, std::size_t tenants)
    : order_(order), queues_(order == QueueOrder::fairshare ? std::max<std::size_t>(tenants, 1) : 1) {
    // Before any factor is known every tenant counts the same: one group, interleaved by submit time.
    queue_order_.resize(queues_.size());
    std::iota(queue_order_.begin(), queue_order_.end(), std::size_t{0});
    group_end_.push_back(queues_.size());
}

std::span<const std::size_t> SchedulingQueue::group(std::size_t g) const {
    const std::size_t begin = g == 0 ? 0 : group_end_[g - 1];
    return std::span<const std::size_t>(queue_order_).subspan(begin, group_end_[g] - begin);
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
    std::iota(queue_order_.begin(), queue_order_.end(), std::size_t{0});
    std::stable_sort(queue_order_.begin(), queue_order_.end(),
                     [&](std::size_t a, std::size_t b) { return factors[a] > factors[b]; });
    group_end_.clear();
    for (std::size_t i = 1; i < queue_order_.size(); ++i) {
        if (factors[queue_order_[i]] != factors[queue_order_[i - 1]]) group_end_.push_back(i);
    }
    group_end_.push_back(queue_order_.size());
}

void QueueWalk::restart(const SchedulingQueue& queue) {
    queue_ = &queue;
    segment_ = 0;
    last_.reset();
    offers_.clear();
    cursors_.resize(1 + queue.queues_.size());
    synced_.assign(cursors_.size(), 0);
}

const JobQueue& QueueWalk::queue_at(std::size_t index) const {
    return index == 0 ? queue_->priority_ : queue_->queues_[index - 1];
}

const QueueEntry* QueueWalk::advance_in_order() {
    while (segment_ <= queue_->group_count()) {
        const QueueKey* after = last_ ? &*last_ : nullptr;
        const QueueEntry* best = nullptr;
        std::size_t best_cursor = 0;
        const auto consider = [&](std::size_t index) {
            if (!synced_[index]) {
                cursors_[index].seek(queue_at(index), after);
                synced_[index] = 1;
            }
            const QueueEntry* e = cursors_[index].current();
            if (e && (!best || e->key < best->key)) {
                best = e;
                best_cursor = index;
            }
        };
        if (segment_ == 0) {
            consider(0);
        } else {
            for (const std::size_t q : queue_->group(segment_ - 1)) consider(1 + q);
        }
        if (best) {
            // The others stay synced: their current jobs come after best, and none of theirs between.
            cursors_[best_cursor].advance();
            last_ = best->key;
            offers_.push_back({best->job, false});
            return best;
        }
        ++segment_;
        last_.reset();
        std::fill(synced_.begin(), synced_.end(), 0);
    }
    return nullptr;
}

bool QueueWalk::mark_started(std::uint32_t job) {
    for (auto it = offers_.rbegin(); it != offers_.rend(); ++it) {
        if (it->job != job) continue;
        if (it->started) return false;
        it->started = true;
        return true;
    }
    return false;
}

const QueueEntry* QueueWalk::find(std::size_t& segment, std::optional<QueueKey>& last, const StartBound* bound) const {
    const StartBound any{};
    while (segment <= queue_->group_count()) {
        const QueueKey* after = last ? &*last : nullptr;
        const QueueEntry* best = nullptr;
        if (segment == 0) {
            // Reservations plan with the time left until their end, which shrinks as they wait: their
            // queued estimate is no bound, so only their size is.
            const StartBound units_only = bound ? bound->by_units_only() : any;
            best = queue_->priority_.next_startable(after, units_only);
        } else {
            for (const std::size_t q : queue_->group(segment - 1)) {
                const QueueEntry* e = queue_->queues_[q].next_startable(after, bound ? *bound : any);
                if (e && (!best || e->key < best->key)) best = e;
            }
        }
        if (best) return best;
        ++segment;
        last.reset();
    }
    return nullptr;
}

const QueueEntry* QueueWalk::advance(const StartBound* bound) {
    if (!bound) return advance_in_order();
    std::fill(synced_.begin(), synced_.end(), 0); // the walk may jump past where the cursors stand
    const QueueEntry* best = find(segment_, last_, bound);
    if (best) {
        last_ = best->key;
        offers_.push_back({best->job, false});
    }
    return best;
}

const QueueEntry* QueueWalk::peek_startable(const StartBound& bound) const {
    std::size_t segment = segment_;
    std::optional<QueueKey> last = last_;
    return find(segment, last, &bound);
}

} // namespace capsim::sched
