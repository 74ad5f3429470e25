#include "capsim/sched/conservative_policy.hpp"

#include "capsim/sched/start_bound.hpp"

namespace capsim::sched {

void ConservativePolicy::select(QueueWalk& queue, SchedulingMachine& machine) const {
    for (const QueueEntry* entry = queue.next(); entry && !machine.is_full(); entry = queue.next()) {
        if (machine.can_start_now(pending(*entry))) {
            machine.start_now(pending(*entry));
        } else {
            machine.reserve_earliest(pending(*entry));
        }
        // A reservation matters to this pass only through the jobs behind it that could start now.
        // When none behind is small enough for what is free now (reservations only take more), the
        // pass's starts are all known and planning the rest of the queue would change none of them.
        StartBound free_now;
        free_now.units_now = machine.start_bound().units_now;
        if (!queue.has_startable_ahead(free_now)) return;
    }
}

} // namespace capsim::sched
