#pragma once
#include "capsim/workload/workload_spec.hpp"

namespace capsim::workload {

/// The true run time of a job of `workload` with `amount` of work (the workload's work kind: FLOP,
/// GPU-hours or seconds; a trace job's amount is its run time) on `gpus` GPUs of
/// `peak_flops_per_gpu` (dense BF16, FLOP/s), in seconds (docs/model.md):
///   FLOP:      amount / (gpus x peak x MFU)
///   GPU-hours: amount x 3600 x (reference peak / peak) / gpus
///   duration:  amount, whatever the GPU.
double run_time_s(const WorkloadSpec& workload, double amount, double gpus, double peak_flops_per_gpu);

} // namespace capsim::workload
