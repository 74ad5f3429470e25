#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "capsim/replay/trace_replay.hpp"

namespace capsim::metrics {

/// The standard batch-scheduling metrics of a replay (wait, flow, bounded slowdown,
/// utilization). Means and percentiles are NaN when no job was simulated.
struct ReplaySummary {
    std::size_t jobs = 0;
    double wait_mean_s = 0;
    double wait_p50_s = 0;
    double wait_p95_s = 0;
    double wait_p99_s = 0;
    double flow_mean_s = 0;            // mean of wait + run (response time)
    double bounded_slowdown_mean = 0;  // max(1, (wait + run) / max(run, tau))
    double bounded_slowdown_max = 0;
    double utilization = 0;            // busy processor-seconds / (processors x span)
    double first_submit_s = 0;
    double last_end_s = 0;
    double makespan_s = 0;             // last end - first submit
    double busy_processor_s = 0;
};

/// Bounded-slowdown threshold tau: jobs shorter than this count as this long.
inline constexpr double bounded_slowdown_tau_s = 10.0;

ReplaySummary summarize(std::span<const replay::JobOutcome> jobs, std::int64_t processors,
                        double tau_s = bounded_slowdown_tau_s);

} // namespace capsim::metrics
