#include "capsim/sched/conservative_policy.hpp"

namespace capsim::sched {

void ConservativePolicy::select(QueueWalk& queue, SchedulingMachine& machine) const {
    for (const QueueEntry* entry = queue.next(); entry && !machine.is_full(); entry = queue.next()) {
        if (machine.can_start_now(pending(*entry))) {
            machine.start_now(pending(*entry));
        } else {
            machine.reserve_earliest(pending(*entry));
        }
    }
}

} // namespace capsim::sched
