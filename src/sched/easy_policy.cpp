#include "capsim/sched/easy_policy.hpp"

#include "capsim/sched/fcfs_policy.hpp"

namespace capsim::sched {

void EasyPolicy::select(std::span<const PendingJob> queue, SchedulingMachine& machine,
                        std::vector<std::size_t>& starts) {
    last_reservation_.reset();
    const std::size_t head = start_from_head(queue, machine, starts);
    if (head + 1 >= queue.size()) return; // no blocked head, or nothing behind it to backfill
    const double shadow_s = machine.reserve_earliest(queue[head]);
    last_reservation_ = HeadReservation{queue[head].job, shadow_s};
    if (machine.is_full()) return;
    for (std::size_t i = head + 1; i < queue.size(); ++i) {
        if (machine.can_start_now(queue[i])) {
            machine.start_now(queue[i]);
            starts.push_back(i);
            if (machine.is_full()) return; // only a start can fill the machine
        }
    }
}

} // namespace capsim::sched
