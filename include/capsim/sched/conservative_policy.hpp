#pragma once
#include "capsim/sched/availability_profile.hpp"
#include "capsim/sched/scheduling_policy.hpp"

namespace capsim::sched {

/// Conservative backfilling (Mu'alem & Feitelson 2001): at every pass, every queued job gets a
/// reservation, in queue order, at the earliest time it fits in the availability profile left by the
/// running jobs' estimated ends and the reservations before it. A job starts when its reservation is
/// now. A job thus never delays any job ahead of it in the queue.
///
/// One pass costs O(Q x (R + Q)) in the worst case; it stops early once no unit is free now, since no
/// later job could start then.
class ConservativePolicy final : public SchedulingPolicy {
public:
    std::string_view name() const override { return "conservative"; }
    void select(const SchedulingView& view, std::vector<std::size_t>& starts) override;

private:
    AvailabilityProfile profile_; // scratch, rebuilt at every pass
};

} // namespace capsim::sched
