#pragma once
#include "capsim/sched/scheduling_policy.hpp"

namespace capsim::sched {

/// Conservative backfilling (Mu'alem & Feitelson 2001): at every pass, every queued job in queue
/// order either starts now, if it can without delaying any reservation made before it in the pass,
/// or gets a reservation at the earliest time it can run. No job is ever delayed by one behind it.
/// The pass stops once nothing is free now, since no later job could start then.
class ConservativePolicy final : public SchedulingPolicy {
public:
    std::string_view name() const override { return "conservative"; }
    void select(QueueWalk& queue, SchedulingMachine& machine) const override;
};

} // namespace capsim::sched
