#pragma once
#include <optional>
#include <vector>

#include "capsim/sched/scheduling_machine.hpp"
#include "capsim/sched/scheduling_policy.hpp"
#include "capsim/sched/scheduling_queue.hpp"

namespace capsim::sched {

/// What a pass decided, for observers (tests, traces): the reservations it made, in order.
struct PassReservation {
    std::uint32_t job = 0;
    double start_s = 0;
};

/// The one scheduling pass of trace replays and scenario runs. It hands the policy the queue and a
/// checked view of the machine; every start the policy asks for is checked before it reaches the
/// machine (the job was offered by the queue, is not started twice, and the machine can hold it now
/// without delaying a reservation made earlier in the pass), and a start that fails a check is an
/// internal error, whichever model runs the pass. The model then applies the starts it returns.
class SchedulingPass {
public:
    /// Runs `policy` over `queue` on `machine` (whose pass has begun); returns the jobs started, in
    /// the order they started.
    const std::vector<PendingJob>& run(const SchedulingPolicy& policy, const SchedulingQueue& queue,
                                       SchedulingMachine& machine);

    const std::vector<PassReservation>& reservations() const { return reservations_; }

private:
    std::vector<PendingJob> starts_;
    std::vector<PassReservation> reservations_;
    std::optional<QueueWalk> walk_; // kept between passes for its storage
};

} // namespace capsim::sched
