#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "capsim/sched/running_list.hpp"

namespace capsim::sched {

/// Free units as a step function of time from `now` on, built from the running jobs' estimated ends,
/// into which reservations are placed. Each step's value holds from its time until the next step's;
/// the last holds forever.
///
/// Example: 10 units, now = 0, one job of 6 units running until 100: steps (0, 4), (100, 10).
/// earliest_start(8 units, 50 s) = 100; reserving it gives (0, 4), (100, 2), (150, 10).
class AvailabilityProfile {
public:
    /// Starts over at `now_s` with `free_units` free, and the running jobs (ascending estimated end,
    /// all after now) releasing their units at their estimated ends.
    void reset(double now_s, std::int64_t free_units, std::span<const RunningJob> running);

    /// The earliest time >= now at which `units` are free for `duration_s` without a break. O(steps).
    double earliest_start(std::int64_t units, double duration_s) const;

    /// Takes `units` out of [start_s, end_s). Precondition: they are free there. O(steps).
    void reserve(std::int64_t units, double start_s, double end_s);

    double now_s() const { return steps_.front().time_s; }
    std::int64_t free_now() const { return steps_.front().free_units; }
    std::int64_t free_at(double time_s) const;
    std::size_t step_count() const { return steps_.size(); }

private:
    struct Step {
        double time_s;
        std::int64_t free_units;
    };
    /// Index of the step that starts exactly at `time_s`, splitting the step that covers it if needed.
    std::size_t split_at(double time_s);

    std::vector<Step> steps_;
};

} // namespace capsim::sched
