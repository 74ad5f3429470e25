#include "capsim/sched/easy_policy.hpp"

#include "capsim/sched/fcfs_policy.hpp"

namespace capsim::sched {

void EasyPolicy::select(QueueWalk& queue, SchedulingMachine& machine) const {
    const QueueEntry* head = start_from_head(queue, machine);
    if (!head) return;
    const PendingJob blocked = pending(*head);
    // When no job behind the head could start even without its reservation, none can with it: the
    // pass ends here, without planning a reservation that would change nothing.
    const QueueEntry* candidate = queue.next_startable(machine.start_bound());
    if (!candidate) return;
    machine.reserve_earliest(blocked);
    if (machine.is_full()) return;
    for (; candidate; candidate = queue.next_startable(machine.start_bound())) {
        if (machine.can_start_now(pending(*candidate))) {
            machine.start_now(pending(*candidate));
            if (machine.is_full()) return; // only a start can fill the machine
        }
    }
}

} // namespace capsim::sched
