#pragma once
#include <limits>
#include <string>

#include "capsim/sched/queue_order.hpp"

namespace capsim::workload {

/// How the batch scheduler orders and places the tenants' jobs. docs/scenario.md describes the keys.
struct SchedulerSpec {
    std::string policy = "easy";
    using Order = sched::QueueOrder; // the one queue-order enum of replays and scenarios
    Order order = Order::fifo;
    double fairshare_halflife_s = 14 * 86400.0;
    double max_walltime_s = std::numeric_limits<double>::infinity();
    enum class Urgent { preempt, front_of_queue };
    Urgent urgent = Urgent::preempt;
};

} // namespace capsim::workload
