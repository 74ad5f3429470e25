#include "capsim/sched/running_list.hpp"

#include <algorithm>

#include "capsim/util/error.hpp"

namespace capsim::sched {

void RunningList::add(const RunningJob& job) {
    const auto it = std::upper_bound(jobs_.begin(), jobs_.end(), job.estimated_end_s,
                                     [](double t, const RunningJob& r) { return t < r.estimated_end_s; });
    jobs_.insert(it, job);
    units_ += job.units;
}

void RunningList::remove(std::uint32_t job, double estimated_end_s) {
    auto it = std::lower_bound(jobs_.begin(), jobs_.end(), estimated_end_s,
                               [](const RunningJob& r, double t) { return r.estimated_end_s < t; });
    while (it != jobs_.end() && it->estimated_end_s == estimated_end_s && it->job != job) ++it;
    if (it == jobs_.end() || it->job != job) throw InternalError("running list: removing a job that is not running");
    units_ -= it->units;
    jobs_.erase(it);
}

std::span<const RunningJob> RunningList::ending_after(double now_s) const {
    const auto it = std::upper_bound(jobs_.begin(), jobs_.end(), now_s,
                                     [](double t, const RunningJob& r) { return t < r.estimated_end_s; });
    return std::span<const RunningJob>(jobs_).subspan(static_cast<std::size_t>(it - jobs_.begin()));
}

} // namespace capsim::sched
