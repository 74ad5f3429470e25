#include "capsim/workload/checkpointing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace capsim::workload {

bool CheckpointPlan::checkpoints() const { return interval_s > 0 && std::isfinite(interval_s); }

std::int64_t checkpoint_count(const CheckpointPlan& plan, double work_s) {
    if (!plan.checkpoints() || work_s <= 0) return 0;
    return std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil(work_s / plan.interval_s)) - 1);
}

double run_wall_s(const CheckpointPlan& plan, double work_s, bool resuming) {
    const double restart_s = resuming ? plan.restart_s : 0.0;
    return restart_s + work_s + static_cast<double>(checkpoint_count(plan, work_s)) * plan.cost_s;
}

double saved_work_s(const CheckpointPlan& plan, double work_s, double elapsed_s, bool resuming) {
    if (!plan.checkpoints()) return 0;
    const double computing_s = elapsed_s - (resuming ? plan.restart_s : 0.0);
    if (computing_s <= 0) return 0;
    const auto done = static_cast<std::int64_t>(std::floor(computing_s / (plan.interval_s + plan.cost_s)));
    const std::int64_t completed = std::min(done, checkpoint_count(plan, work_s));
    return std::min(work_s, static_cast<double>(completed) * plan.interval_s);
}

double optimal_checkpoint_interval_s(double cost_s, double mttf_s) {
    if (!std::isfinite(mttf_s)) return std::numeric_limits<double>::infinity();
    constexpr double shortest_s = 1;
    if (cost_s >= 2 * mttf_s) return std::max(mttf_s, shortest_s);
    const double ratio = cost_s / (2 * mttf_s);
    const double daly_s = std::sqrt(2 * cost_s * mttf_s) * (1 + std::sqrt(ratio) / 3 + ratio / 9) - cost_s;
    return std::max(daly_s, shortest_s);
}

} // namespace capsim::workload
