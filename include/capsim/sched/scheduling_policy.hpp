#pragma once
#include <string_view>

#include "capsim/sched/scheduling_machine.hpp"
#include "capsim/sched/scheduling_queue.hpp"

namespace capsim::sched {

/// A batch scheduling policy: at each pass it walks the queue in queue order and decides, by asking
/// the machine, which jobs start now (by calling start_now on the machine it is given, which the
/// pass checks before anything is allocated). It keeps no state between passes, so the same queue and
/// machine always give the same decisions.
class SchedulingPolicy {
public:
    virtual ~SchedulingPolicy() = default;
    virtual std::string_view name() const = 0;
    virtual void select(QueueWalk& queue, SchedulingMachine& machine) const = 0;
};

/// The entry as the machine sees the job.
inline PendingJob pending(const QueueEntry& entry) { return {entry.job, entry.estimate_s}; }

} // namespace capsim::sched
