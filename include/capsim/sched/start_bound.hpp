#pragma once
#include <cmath>
#include <cstdint>
#include <limits>

namespace capsim::sched {

/// A necessary condition, from the machine, for a queued job to start now: a job of `units` (what it
/// asks for: processors, GPUs) whose estimate is `estimate_s` can start only if
///
///     units <= units_now  and  (units <= any_length_units  or  estimate_s <= estimate_limit_s).
///
/// The machine answers exactly (can_start_now); the bound only lets a queue skip, in one step, runs of
/// jobs that certainly cannot start, so that a pass over a deep queue costs what it starts, not what
/// it holds. Example (EASY on 10 processors, 4 free, head reserved at t+100 with 1 extra): units_now 4,
/// any_length_units 1, estimate_limit_s 100: a 2-processor job of estimate 300 is skipped.
struct StartBound {
    static constexpr double unlimited = std::numeric_limits<double>::infinity();

    std::int64_t units_now = std::numeric_limits<std::int64_t>::max();
    std::int64_t any_length_units = std::numeric_limits<std::int64_t>::max();
    double estimate_limit_s = unlimited;

    bool might_start(std::int64_t units, double estimate_s) const {
        return units <= units_now && (units <= any_length_units || estimate_s <= estimate_limit_s);
    }
    /// The same for a set of jobs known only by their smallest units and smallest estimate: false
    /// means none of them can start.
    bool might_start_any(std::int64_t min_units, double min_estimate_s) const {
        return might_start(min_units, min_estimate_s);
    }
    /// The bound of a pool with `free_now` units free and one reservation at `shadow_s`, after which
    /// `extra_units` are left: a job may start if it fits now and ends by the shadow time, or fits in
    /// the extra units. The window is made slightly wide, so that rounding in shadow - now never
    /// excludes a job that now + estimate <= shadow admits (the bound must stay necessary).
    static StartBound with_reservation(std::int64_t free_now, std::int64_t extra_units, double shadow_s, double now_s) {
        const double window_s = shadow_s - now_s;
        const double slack_s = 1e-9 * (std::abs(shadow_s) + std::abs(now_s) + 1.0);
        return {free_now, extra_units, window_s + slack_s};
    }
    /// The bound without its estimate part (for jobs whose estimate shrinks as they wait).
    StartBound by_units_only() const { return {units_now, units_now, estimate_limit_s}; }
};

} // namespace capsim::sched
