#pragma once
#include <optional>

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
class EasyPolicy final : public SchedulingPolicy {
public:
    std::string_view name() const override { return "easy"; }
    void select(std::span<const PendingJob> queue, SchedulingMachine& machine, std::vector<std::size_t>& starts) override;

    /// The reservation the last pass gave its blocked head job, if it made one (for observers).
    struct HeadReservation {
        std::uint32_t job = 0;
        double shadow_s = 0;
    };
    const std::optional<HeadReservation>& last_reservation() const { return last_reservation_; }

private:
    std::optional<HeadReservation> last_reservation_;
};

} // namespace capsim::sched
