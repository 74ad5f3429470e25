#include "capsim/sched/availability_profile.hpp"

#include <algorithm>

#include "capsim/util/error.hpp"

namespace capsim::sched {

void AvailabilityProfile::reset(double now_s, std::int64_t free_units, std::span<const RunningJob> running) {
    steps_.clear();
    steps_.push_back({now_s, free_units});
    for (const RunningJob& job : running) {
        if (job.estimated_end_s == steps_.back().time_s) {
            steps_.back().free_units += job.units;
        } else {
            steps_.push_back({job.estimated_end_s, steps_.back().free_units + job.units});
        }
    }
}

double AvailabilityProfile::earliest_start(std::int64_t units, double duration_s) const {
    const std::size_t n = steps_.size();
    std::size_t i = 0;
    while (i < n) {
        if (steps_[i].free_units < units) {
            ++i;
            continue;
        }
        const double start_s = steps_[i].time_s;
        const double end_s = start_s + duration_s;
        std::size_t j = i + 1;
        while (j < n && steps_[j].time_s < end_s && steps_[j].free_units >= units) ++j;
        if (j == n || steps_[j].time_s >= end_s) return start_s;
        i = j + 1; // steps_[j] is too small: no window that contains it works
    }
    throw InternalError("availability profile: no start time for a job of " + std::to_string(units) +
                        " units; the profile never frees that many");
}

std::size_t AvailabilityProfile::split_at(double time_s) {
    auto it = std::lower_bound(steps_.begin(), steps_.end(), time_s,
                               [](const Step& step, double t) { return step.time_s < t; });
    if (it != steps_.end() && it->time_s == time_s) return static_cast<std::size_t>(it - steps_.begin());
    if (it == steps_.begin()) throw InternalError("availability profile: reservation before now");
    const std::int64_t covering = std::prev(it)->free_units;
    it = steps_.insert(it, Step{time_s, covering});
    return static_cast<std::size_t>(it - steps_.begin());
}

void AvailabilityProfile::reserve(std::int64_t units, double start_s, double end_s) {
    const std::size_t first = split_at(start_s);
    const std::size_t last = split_at(end_s);
    for (std::size_t i = first; i < last; ++i) {
        steps_[i].free_units -= units;
        if (steps_[i].free_units < 0) throw InternalError("availability profile: reservation overbooks a step");
    }
}

std::int64_t AvailabilityProfile::free_at(double time_s) const {
    auto it = std::upper_bound(steps_.begin(), steps_.end(), time_s,
                               [](double t, const Step& step) { return t < step.time_s; });
    if (it == steps_.begin()) return steps_.front().free_units;
    return std::prev(it)->free_units;
}

} // namespace capsim::sched
