#include "capsim/sched/fcfs_policy.hpp"

namespace capsim::sched {

HeadStart start_from_head(const SchedulingView& view, std::vector<std::size_t>& starts) {
    HeadStart result{view.free_units, 0};
    while (result.blocked < view.queue.size() && view.queue[result.blocked].units <= result.free_units) {
        result.free_units -= view.queue[result.blocked].units;
        starts.push_back(result.blocked);
        ++result.blocked;
    }
    return result;
}

void FcfsPolicy::select(const SchedulingView& view, std::vector<std::size_t>& starts) {
    start_from_head(view, starts);
}

} // namespace capsim::sched
