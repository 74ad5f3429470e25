#include "capsim/sched/fcfs_policy.hpp"

namespace capsim::sched {

const QueueEntry* start_from_head(QueueWalk& queue, SchedulingMachine& machine) {
    for (const QueueEntry* entry = queue.next(); entry; entry = queue.next()) {
        if (!machine.can_start_now(pending(*entry))) return entry;
        machine.start_now(pending(*entry));
    }
    return nullptr;
}

void FcfsPolicy::select(QueueWalk& queue, SchedulingMachine& machine) const { start_from_head(queue, machine); }

} // namespace capsim::sched
