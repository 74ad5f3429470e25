#include "capsim/replay/replay_job.hpp"

#include <algorithm>

namespace capsim::replay {

std::string_view describe(Exclusion reason) {
    switch (reason) {
    case Exclusion::none: return "simulated";
    case Exclusion::skipped_run_time: return "skipped: run time <= 0";
    case Exclusion::skipped_processors: return "skipped: processors <= 0";
    case Exclusion::rejected_too_large: return "rejected: more processors than the machine has";
    }
    return "unknown";
}

Admission admit(const workload::SwfRecord& record, std::size_t trace_position, std::int64_t machine_processors) {
    Admission admission;
    ReplayJob& job = admission.job;
    job.id = record.id;
    job.submit_s = record.submit_s;
    job.trace_position = trace_position;
    job.processors = record.requested_processors > 0 ? record.requested_processors : record.allocated_processors;
    const bool has_requested_time = record.requested_time_s > 0;
    job.run_s = has_requested_time ? std::min(record.run_s, record.requested_time_s) : record.run_s;
    job.estimate_s = has_requested_time ? record.requested_time_s : job.run_s;

    if (job.run_s <= 0) {
        admission.exclusion = Exclusion::skipped_run_time;
    } else if (job.processors <= 0) {
        admission.exclusion = Exclusion::skipped_processors;
    } else if (job.processors > machine_processors) {
        admission.exclusion = Exclusion::rejected_too_large;
    }
    return admission;
}

} // namespace capsim::replay
