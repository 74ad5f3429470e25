#include "capsim/metrics/replay_summary.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "capsim/metrics/percentile.hpp"

namespace capsim::metrics {

ReplaySummary summarize(std::span<const replay::JobOutcome> jobs, std::int64_t processors, double tau_s) {
    ReplaySummary s;
    s.jobs = jobs.size();
    if (jobs.empty()) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        s.wait_mean_s = s.wait_p50_s = s.wait_p95_s = s.wait_p99_s = nan;
        s.flow_mean_s = s.bounded_slowdown_mean = s.bounded_slowdown_max = nan;
        s.utilization = s.first_submit_s = s.last_end_s = s.makespan_s = nan;
        return s;
    }
    std::vector<double> waits;
    waits.reserve(jobs.size());
    double wait_sum = 0, flow_sum = 0, slowdown_sum = 0;
    s.first_submit_s = jobs.front().job.submit_s;
    s.last_end_s = jobs.front().end_s;
    for (const auto& outcome : jobs) {
        const double wait = outcome.wait_s();
        const double run = outcome.job.run_s;
        const double slowdown = std::max(1.0, (wait + run) / std::max(run, tau_s));
        waits.push_back(wait);
        wait_sum += wait;
        flow_sum += wait + run;
        slowdown_sum += slowdown;
        s.bounded_slowdown_max = std::max(s.bounded_slowdown_max, slowdown);
        s.busy_processor_s += run * static_cast<double>(outcome.job.processors);
        s.first_submit_s = std::min(s.first_submit_s, outcome.job.submit_s);
        s.last_end_s = std::max(s.last_end_s, outcome.end_s);
    }
    const auto n = static_cast<double>(jobs.size());
    s.wait_mean_s = wait_sum / n;
    s.flow_mean_s = flow_sum / n;
    s.bounded_slowdown_mean = slowdown_sum / n;
    std::sort(waits.begin(), waits.end());
    s.wait_p50_s = percentile_sorted(waits, 50);
    s.wait_p95_s = percentile_sorted(waits, 95);
    s.wait_p99_s = percentile_sorted(waits, 99);
    s.makespan_s = s.last_end_s - s.first_submit_s;
    s.utilization = s.makespan_s > 0 ? s.busy_processor_s / (static_cast<double>(processors) * s.makespan_s)
                                     : std::numeric_limits<double>::quiet_NaN();
    return s;
}

} // namespace capsim::metrics
