#include "capsim/workload/job_sources.hpp"

#include <algorithm>
#include <cmath>

namespace capsim::workload {

JobSources::JobSources(const DemandSpec& demand, double start_s, double end_s, StreamId replication)
    : demand_(demand), start_s_(start_s), end_s_(end_s) {
    for (const WorkloadSpec& spec : demand.workloads) {
        StreamId stream = replication;
        stream.stream = spec.stream;
        streams_.emplace_back(stream);
        if (spec.arrivals) arrivals_.emplace_back(*spec.arrivals);
        else arrivals_.emplace_back(ArrivalSpec{});
        trace_next_.push_back(0);
    }
}

void JobSources::start(engine::Engine& engine, const engine::Model& owner, std::uint32_t kind, std::int32_t priority) {
    owner_ = &owner;
    kind_ = kind;
    priority_ = priority;
    for (std::size_t w = 0; w < demand_.workloads.size(); ++w) {
        const WorkloadSpec& spec = demand_.workloads[w];
        if (spec.reservation) {
            if (spec.reservation->from_s < end_s_) {
                engine.schedule(*owner_, std::max(spec.reservation->from_s, start_s_), priority_, kind_, w);
            }
        } else if (!spec.trace.empty()) {
            schedule_next_trace(engine, w);
        } else if (spec.arrivals) {
            schedule_next_arrival(engine, w, std::max(start_s_, spec.arrivals_from_s));
        }
    }
}

SourcedJob JobSources::take(std::size_t w) {
    const WorkloadSpec& spec = demand_.workloads[w];
    SourcedJob job;
    if (spec.reservation) {
        job.gpus = spec.reservation->gpus;
        job.fixed_end_s = spec.reservation->to_s;
    } else if (!spec.trace.empty()) {
        const auto& row = spec.trace[trace_next_[w]++];
        job.gpus = row.gpus;
        job.amount = row.duration_s;
        job.estimate_factor = std::max(1.0, row.estimate_s / row.duration_s);
    } else {
        RandomStream& rng = streams_[w];
        job.gpus = std::max(1, static_cast<int>(std::lround(spec.gpus.sample(rng))));
        job.amount = spec.work.amount.sample(rng);
        job.estimate_factor = spec.estimate_factor ? std::max(1.0, spec.estimate_factor->sample(rng)) : 1.0;
    }
    return job;
}

void JobSources::schedule_next(engine::Engine& engine, std::size_t w, double now_s) {
    const WorkloadSpec& spec = demand_.workloads[w];
    if (spec.reservation) return; // one job
    if (!spec.trace.empty()) {
        schedule_next_trace(engine, w);
    } else {
        schedule_next_arrival(engine, w, now_s);
    }
}

void JobSources::schedule_next_arrival(engine::Engine& engine, std::size_t w, double after_s) {
    const double until_s = std::min(end_s_, demand_.workloads[w].arrivals_to_s);
    if (after_s >= until_s) return;
    const double t = arrivals_[w].next_arrival(after_s, until_s, streams_[w]);
    if (t < until_s) engine.schedule(*owner_, t, priority_, kind_, w);
}

void JobSources::schedule_next_trace(engine::Engine& engine, std::size_t w) {
    const auto& trace = demand_.workloads[w].trace;
    if (trace_next_[w] >= trace.size()) return;
    const double t = trace[trace_next_[w]].submit_s;
    if (t < end_s_) engine.schedule(*owner_, std::max(t, start_s_), priority_, kind_, w);
}

} // namespace capsim::workload
