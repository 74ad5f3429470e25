#pragma once
#include "capsim/sched/scheduling_policy.hpp"

namespace capsim::sched {

/// EASY backfilling (Lifka 1995; Mu'alem & Feitelson 2001). Jobs start from the head of the queue
/// while they can. The first that cannot (the head) gets a reservation at the earliest time it can
/// run, the *shadow time*. Every later job, in queue order, then starts now if it can do so without
/// delaying that one reservation; other reservations are not protected.
///
/// On a pool of identical processors this is the classic rule: a later job starts if it fits now
/// and either ends by its estimate no later than the shadow time, or uses no more than the *extra*
/// processors (those free at the shadow time beyond the head's need), which it then consumes.
/// Example: 10 processors, a running job holds 6 until t=100; the head needs 8 (shadow 100, extra 2).
/// At t=0 a 4-processor job of estimate 100 starts (it ends at the shadow time); a 4-processor job
/// of estimate 200 does not; a 2-processor job of estimate 500 does.
///
/// The backfill walk asks the queue only for jobs the machine's start bound allows, so a deep queue
/// of jobs that cannot start costs O(log n), not O(n).
class EasyPolicy final : public SchedulingPolicy {
public:
    std::string_view name() const override { return "easy"; }
    void select(QueueWalk& queue, SchedulingMachine& machine) const override;
};

} // namespace capsim::sched
