#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace capsim::sched {

/// The order in which queued jobs are offered to the policy.
enum class QueueOrder {
    fifo, // by submit time, then arrival position (trace order)
    sjf,  // shortest estimate first, then submit time, then arrival position
};

/// What queue orders compare. `arrival` is unique per job, so the order is total.
struct QueueKey {
    double submit_s = 0;
    double estimate_s = 0;
    std::size_t arrival = 0;
};

/// True when `a` is ahead of `b` in the queue under `order`.
bool is_ahead(QueueOrder order, const QueueKey& a, const QueueKey& b);

std::string_view to_string(QueueOrder order);

/// Parses a queue order by name; an unknown name throws InputError listing the accepted ones.
QueueOrder parse_queue_order(std::string_view name);

std::vector<std::string> queue_order_names();

} // namespace capsim::sched
