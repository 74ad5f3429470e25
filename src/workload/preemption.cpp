#include "capsim/workload/preemption.hpp"

#include <algorithm>
#include <tuple>

namespace capsim::workload {

bool is_preemptible(JobClass c) {
    return c == JobClass::research || c == JobClass::fine_tuning || c == JobClass::training;
}

std::optional<std::vector<std::uint32_t>> preemption_order(std::span<const RunningCandidate> running,
                                                           std::int64_t free_units, std::int64_t needed_units) {
    std::vector<RunningCandidate> victims;
    std::int64_t available = free_units;
    for (const RunningCandidate& candidate : running) {
        if (!is_preemptible(candidate.job_class)) continue;
        victims.push_back(candidate);
        available += candidate.units;
    }
    if (available < needed_units) return std::nullopt;
    std::sort(victims.begin(), victims.end(), [](const RunningCandidate& a, const RunningCandidate& b) {
        // Classes are declared in scheduling priority, urgent first: the later class goes first.
        if (a.job_class != b.job_class) return a.job_class > b.job_class;
        return std::tie(a.start_s, a.job) > std::tie(b.start_s, b.job);
    });
    std::vector<std::uint32_t> order;
    order.reserve(victims.size());
    for (const RunningCandidate& v : victims) order.push_back(v.job);
    return order;
}

} // namespace capsim::workload
