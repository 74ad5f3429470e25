#pragma once
#include "capsim/sched/scheduling_policy.hpp"

namespace capsim::sched {

/// First come, first served: start queued jobs in queue order while the next one can start, and
/// stop at the first that cannot, even if later jobs could.
class FcfsPolicy final : public SchedulingPolicy {
public:
    std::string_view name() const override { return "fcfs"; }
    void select(std::span<const PendingJob> queue, SchedulingMachine& machine, std::vector<std::size_t>& starts) override;
};

/// Starts jobs from the head of the queue while they can start; returns the position of the first
/// that cannot (queue.size() when all started). FCFS is this alone; backfilling policies begin with it.
std::size_t start_from_head(std::span<const PendingJob> queue, SchedulingMachine& machine,
                            std::vector<std::size_t>& starts);

} // namespace capsim::sched
