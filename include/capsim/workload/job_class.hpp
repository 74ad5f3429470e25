#pragma once

namespace capsim::workload {

/// Job classes, in order of scheduling priority (urgent first) and, reversed, of preemption:
/// research is preempted first. Inference reservations and urgent jobs are never preempted.
enum class JobClass { urgent, inference, training, fine_tuning, research };
inline constexpr int job_class_count = 5;
const char* to_string(JobClass job_class);

/// The GPU load of a workload that gives no `load`: the mean load of each GPU its jobs hold, which
/// sets their power. By class, as docs/model.md's class table states them: training and urgent runs
/// keep their GPUs busiest, inference services least.
constexpr double default_load(JobClass job_class) {
    switch (job_class) {
    case JobClass::urgent: return 0.9;
    case JobClass::inference: return 0.5;
    case JobClass::training: return 0.9;
    case JobClass::fine_tuning: return 0.85;
    case JobClass::research: return 0.6;
    }
    return 0.9;
}

} // namespace capsim::workload
