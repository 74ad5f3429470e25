#include "capsim/sched/fcfs_policy.hpp"

namespace capsim::sched {

std::size_t start_from_head(std::span<const PendingJob> queue, SchedulingMachine& machine,
                            std::vector<std::size_t>& starts) {
    std::size_t i = 0;
    for (; i < queue.size() && machine.can_start_now(queue[i]); ++i) {
        machine.start_now(queue[i]);
        starts.push_back(i);
    }
    return i;
}

void FcfsPolicy::select(std::span<const PendingJob> queue, SchedulingMachine& machine,
                        std::vector<std::size_t>& starts) {
    start_from_head(queue, machine, starts);
}

} // namespace capsim::sched
