#pragma once
#include "capsim/sched/scheduling_policy.hpp"

namespace capsim::sched {

/// First come, first served: start queued jobs in queue order while the next one fits, and stop at
/// the first that does not, even if later jobs would fit.
class FcfsPolicy final : public SchedulingPolicy {
public:
    std::string_view name() const override { return "fcfs"; }
    void select(const SchedulingView& view, std::vector<std::size_t>& starts) override;
};

/// Starts jobs from the head of the queue while they fit; returns the units left free and the
/// position of the first job that did not fit (queue.size() when all started). FCFS is this alone;
/// the backfilling policies start with it.
struct HeadStart {
    std::int64_t free_units = 0;
    std::size_t blocked = 0;
};
HeadStart start_from_head(const SchedulingView& view, std::vector<std::size_t>& starts);

} // namespace capsim::sched
