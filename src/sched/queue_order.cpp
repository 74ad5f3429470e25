#include "capsim/sched/queue_order.hpp"

#include "capsim/util/error.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::sched {

bool is_ahead(QueueOrder order, const QueueKey& a, const QueueKey& b) {
    if (order == QueueOrder::sjf && a.estimate_s != b.estimate_s) return a.estimate_s < b.estimate_s;
    if (a.submit_s != b.submit_s) return a.submit_s < b.submit_s;
    return a.arrival < b.arrival;
}

std::string_view to_string(QueueOrder order) {
    return order == QueueOrder::fifo ? "fifo" : "sjf";
}

std::vector<std::string> queue_order_names() { return {"fifo", "sjf"}; }

QueueOrder parse_queue_order(std::string_view name) {
    if (name == "fifo") return QueueOrder::fifo;
    if (name == "sjf") return QueueOrder::sjf;
    std::string message = "unknown queue order '" + std::string(name) + "', expected " +
                          join_alternatives(queue_order_names());
    if (auto near = nearest_name(name, queue_order_names())) message += "; did you mean '" + *near + "'?";
    throw InputError(message);
}

} // namespace capsim::sched
