#include "capsim/sched/conservative_policy.hpp"

#include "capsim/sched/start_bound.hpp"

namespace capsim::sched {

void ConservativePolicy::select(QueueWalk& queue, SchedulingMachine& machine) const {
    // A reservation matters to this pass only through the jobs behind it that could start now. When
    // none behind is small enough for what is free now (reservations only take more), the pass's
    // starts are all known and planning the rest of the queue would change none of them. The job
    // found by the last look stays a candidate until the walk reaches it or a start takes units.
    const QueueEntry* candidate = nullptr;
    for (const QueueEntry* entry = queue.next(); entry && !machine.is_full(); entry = queue.next()) {
        const bool starts = machine.can_start_now(pending(*entry));
        if (starts) {
            machine.start_now(pending(*entry));
        } else {
            machine.reserve_earliest(pending(*entry));
        }
        if (starts || entry == candidate || !candidate) {
            StartBound free_now;
            free_now.units_now = machine.start_bound().units_now;
            candidate = queue.peek_startable(free_now);
            if (!candidate) return;
        }
    }
}

} // namespace capsim::sched
