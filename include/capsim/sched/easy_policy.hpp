#pragma once
#include <optional>
#include <utility>
#include <vector>

#include "capsim/sched/scheduling_policy.hpp"

namespace capsim::sched {

/// EASY backfilling (Lifka 1995; Mu'alem & Feitelson 2001). Jobs start from the head of the queue
/// while they fit. The first that does not fit gets a reservation at the *shadow time* S: the earliest
/// estimated end of a running job at which enough units are free for it, every job whose estimated
/// end equals S being released first. The *extra* units are those free at S beyond the head's need.
/// A later job then starts now if it fits now and either ends by its estimate no later than S, or
/// uses no more than the extra units, which it then consumes.
///
/// Example: 10 units, a running job holds 6 until t=100; the head needs 8 (S=100, free at S = 10,
/// extra = 2). At t=0 a 4-unit job of estimate 100 starts (ends at S); a 4-unit job of estimate 200
/// does not (it would need 4 of the 2 extra units); a 2-unit job of estimate 500 does.
///
/// One pass costs O(Q + R log R) for Q queued and R running jobs.
class EasyPolicy final : public SchedulingPolicy {
public:
    std::string_view name() const override { return "easy"; }
    void select(const SchedulingView& view, std::vector<std::size_t>& starts) override;

    /// The reservation the last pass gave its blocked head job, if it had one (for observers).
    struct HeadReservation {
        std::uint32_t job = 0;
        double shadow_s = 0;
    };
    const std::optional<HeadReservation>& last_reservation() const { return last_reservation_; }

private:
    std::optional<HeadReservation> last_reservation_;
    std::vector<std::pair<double, std::int64_t>> started_ends_; // scratch: (estimated end, units)
};

} // namespace capsim::sched
