#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "capsim/workload/job_class.hpp"

namespace capsim::workload {

/// Whether preemption may stop a running job of this class for an urgent one: research,
/// fine-tuning and training may be stopped; urgent jobs and inference reservations never.
bool is_preemptible(JobClass job_class);

/// A running job of a pool as preemption sees it.
struct RunningCandidate {
    std::uint32_t job = 0;
    JobClass job_class = JobClass::research;
    double start_s = 0;
    std::int64_t units = 0; // GPUs it holds (its footprint)
};

/// The jobs to stop, in order, to make room for an urgent job that needs `needed_units` in a pool
/// with `free_units` free: nullopt if stopping every preemptible job would not free enough. Otherwise
/// every preemptible job, research first, then fine-tuning, then training, and within a class the
/// most recently started first (it has the least to lose; ties by job index). The caller stops them
/// in this order until the urgent job can be placed.
std::optional<std::vector<std::uint32_t>> preemption_order(std::span<const RunningCandidate> running,
                                                           std::int64_t free_units, std::int64_t needed_units);

} // namespace capsim::workload
