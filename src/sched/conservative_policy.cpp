#include "capsim/sched/conservative_policy.hpp"

namespace capsim::sched {

void ConservativePolicy::select(std::span<const PendingJob> queue, SchedulingMachine& machine,
                                std::vector<std::size_t>& starts) {
    for (std::size_t i = 0; i < queue.size() && !machine.is_full(); ++i) {
        if (machine.can_start_now(queue[i])) {
            machine.start_now(queue[i]);
            starts.push_back(i);
        } else {
            machine.reserve_earliest(queue[i]);
        }
    }
}

} // namespace capsim::sched
