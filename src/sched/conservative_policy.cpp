#include "capsim/sched/conservative_policy.hpp"

namespace capsim::sched {

void ConservativePolicy::select(const SchedulingView& view, std::vector<std::size_t>& starts) {
    profile_.reset(view.now_s, view.free_units, view.running);
    for (std::size_t i = 0; i < view.queue.size() && profile_.free_now() > 0; ++i) {
        const PendingJob& job = view.queue[i];
        const double start_s = profile_.earliest_start(job.units, job.estimate_s);
        profile_.reserve(job.units, start_s, start_s + job.estimate_s);
        if (start_s == view.now_s) starts.push_back(i);
    }
}

} // namespace capsim::sched
