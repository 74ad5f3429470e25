#include "capsim/sched/queue_order.hpp"

#include <algorithm>

#include "capsim/util/error.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::sched {

QueueKey queue_key(QueueOrder order, double submit_s, double estimate_s, int job_class, std::uint64_t arrival) {
    switch (order) {
    case QueueOrder::sjf: return {estimate_s, submit_s, arrival};
    case QueueOrder::priority: return {static_cast<double>(job_class), submit_s, arrival};
    case QueueOrder::fifo:
    case QueueOrder::fairshare: break;
    }
    return {submit_s, 0.0, arrival};
}

std::string_view to_string(QueueOrder order) {
    switch (order) {
    case QueueOrder::fifo: return "fifo";
    case QueueOrder::sjf: return "sjf";
    case QueueOrder::fairshare: return "fairshare";
    case QueueOrder::priority: return "priority";
    }
    return "unknown";
}

std::vector<QueueOrder> all_queue_orders() {
    return {QueueOrder::fifo, QueueOrder::sjf, QueueOrder::fairshare, QueueOrder::priority};
}

std::vector<std::string> queue_order_names(const std::vector<QueueOrder>& orders) {
    std::vector<std::string> names;
    for (const QueueOrder order : orders) names.emplace_back(to_string(order));
    return names;
}

QueueOrder parse_queue_order(std::string_view name, const std::vector<QueueOrder>& accepted) {
    for (const QueueOrder order : accepted) {
        if (to_string(order) == name) return order;
    }
    const std::vector<std::string> names = queue_order_names(accepted);
    std::string message = "unknown queue order '" + std::string(name) + "', expected " + join_alternatives(names);
    if (auto near = nearest_name(name, names)) message += "; did you mean '" + *near + "'?";
    throw InputError(message);
}

} // namespace capsim::sched
