#pragma once
#include "capsim/sched/scheduling_policy.hpp"

namespace capsim::sched {

/// First come, first served: start queued jobs in queue order while the next one can start, and
/// stop at the first that cannot, even if later jobs could.
class FcfsPolicy final : public SchedulingPolicy {
public:
    std::string_view name() const override { return "fcfs"; }
    void select(QueueWalk& queue, SchedulingMachine& machine) const override;
};

/// Starts jobs from the head of the queue while they can start; returns the first that cannot (null
/// when all started). FCFS is this alone; backfilling policies begin with it.
const QueueEntry* start_from_head(QueueWalk& queue, SchedulingMachine& machine);

} // namespace capsim::sched
