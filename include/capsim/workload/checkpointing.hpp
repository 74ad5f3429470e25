#pragma once
/// The arithmetic of a run that saves its progress every so often (docs/model.md, "Failures and
/// checkpoints"). A run does `work_s` of compute; a run that resumes from a checkpoint first pays the
/// restart. The compute is cut into segments of the interval tau, each but the last followed by a
/// checkpoint of cost C; a stop loses everything since the last completed checkpoint.

#include <cstdint>

namespace capsim::workload {

/// The checkpoints of one run.
struct CheckpointPlan {
    double interval_s = 0; // compute between checkpoints; <= 0 or +infinity: no checkpoints
    double cost_s = 0;
    double restart_s = 0;  // paid by a run that resumes from a checkpoint
    bool checkpoints() const;
};

/// Checkpoints a run of `work_s` compute takes: ceil(work / tau) - 1 (none after the last segment).
std::int64_t checkpoint_count(const CheckpointPlan& plan, double work_s);

/// Wall time of such a run: restart (if `resuming`) + work + checkpoints x cost.
/// Example: 360 s of work, tau 60 s, C 1 s, R 10 s, resuming: 10 + 360 + 5 x 1 = 375 s.
double run_wall_s(const CheckpointPlan& plan, double work_s, bool resuming);

/// The compute saved by the last checkpoint completed `elapsed_s` into such a run (0 with no
/// checkpoints): after the restart, checkpoint k completes at k (tau + C).
/// Example (as above): stopped 200 s in, 190 s after the restart, 3 checkpoints done: 180 s saved.
double saved_work_s(const CheckpointPlan& plan, double work_s, double elapsed_s, bool resuming);

/// The interval that minimises the expected waste of a run whose mean time to failure is `mttf_s`
/// with checkpoints of `cost_s`: Daly's (2006) higher-order estimate
///   tau = sqrt(2 C M) [1 + sqrt(C / 2M) / 3 + (C / 2M) / 9] - C   for C < 2M, else M,
/// which tends to Young's (1974) sqrt(2 C M) when C << M; never below 1 s (free checkpoints would
/// otherwise be taken continuously). +infinity when nothing fails (M infinite).
/// Example: C = 20 s, M = 6,480 s (1.8 h): Young's sqrt(2 x 20 x 6480) = 509.1 s, Daly's 495.9 s.
double optimal_checkpoint_interval_s(double cost_s, double mttf_s);

} // namespace capsim::workload
