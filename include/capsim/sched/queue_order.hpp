#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace capsim::sched {

/// The order in which a queue offers its jobs to the policy. One enum for trace replay and scenarios.
enum class QueueOrder {
    fifo,      // by submit time, then arrival
    sjf,       // shortest estimate first, then submit time, then arrival
    fairshare, // tenants by fair-share factor, highest first; each tenant's jobs by submit time
    priority,  // by job class (urgent first), then submit time, then arrival
};

/// Where a job stands in a queue: jobs are ordered by (first, second, tie), lexicographically. `tie`
/// is unique per job (its arrival number), so the order is total and never depends on memory.
struct QueueKey {
    double first = 0;
    double second = 0;
    std::uint64_t tie = 0;
    friend bool operator<(const QueueKey& a, const QueueKey& b) {
        if (a.first != b.first) return a.first < b.first;
        if (a.second != b.second) return a.second < b.second;
        return a.tie < b.tie;
    }
    friend bool operator==(const QueueKey&, const QueueKey&) = default;
};

/// The key of a job under `order`. Under fairshare it is the key within the job's tenant queue
/// (submit time), which is also what interleaves tenants of equal factor.
QueueKey queue_key(QueueOrder order, double submit_s, double estimate_s, int job_class, std::uint64_t arrival);

std::string_view to_string(QueueOrder order);

std::vector<QueueOrder> all_queue_orders();

/// Parses a queue order by name among `accepted` (all by default); an unknown name throws InputError
/// listing the accepted ones.
QueueOrder parse_queue_order(std::string_view name, const std::vector<QueueOrder>& accepted = all_queue_orders());
std::vector<std::string> queue_order_names(const std::vector<QueueOrder>& orders = all_queue_orders());

} // namespace capsim::sched
