#include "capsim/workload/run_time.hpp"

namespace capsim::workload {

double run_time_s(const WorkloadSpec& workload, double amount, double gpus, double peak_flops_per_gpu) {
    if (!workload.trace.empty()) return amount;
    switch (workload.work.kind) {
    case WorkSpec::Kind::flops: return amount / (gpus * peak_flops_per_gpu * workload.work.mfu);
    case WorkSpec::Kind::gpu_hours: return amount * 3600.0 * (workload.work.reference_peak_flops / peak_flops_per_gpu) / gpus;
    case WorkSpec::Kind::duration: return amount;
    }
    return amount;
}

} // namespace capsim::workload
