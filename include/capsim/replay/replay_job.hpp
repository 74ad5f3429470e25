#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "capsim/workload/swf_trace.hpp"

namespace capsim::replay {

/// A trace job as the replay simulates it. The rules that derive it from an SWF record are fixed so
/// that results compare with the literature (pyss, the predictsim study):
///   processors = requested processors (field 8) if > 0, else allocated processors (field 5);
///   run        = run time (field 4), capped at the requested time (field 9) when that is > 0,
///                because the batch system kills a job at its requested time;
///   estimate   = requested time when > 0, else the run time (what backfilling sees).
struct ReplayJob {
    std::int64_t id = 0;
    double submit_s = 0;
    double run_s = 0;
    double estimate_s = 0;
    std::int64_t processors = 0;
    std::size_t trace_position = 0; // index among the trace's job lines, breaks submit-time ties
};

/// Why a trace job is not simulated. Every such job is counted and reported, never dropped silently.
enum class Exclusion {
    none,
    skipped_run_time,    // run time <= 0 (the job never ran)
    skipped_processors,  // no processor count > 0 in fields 8 or 5
    rejected_too_large,  // asks for more processors than the machine has
};

std::string_view describe(Exclusion reason);

struct Admission {
    ReplayJob job;
    Exclusion exclusion = Exclusion::none;
};

/// Applies the rules above to one record on a machine of `machine_processors`.
Admission admit(const workload::SwfRecord& record, std::size_t trace_position, std::int64_t machine_processors);

} // namespace capsim::replay
