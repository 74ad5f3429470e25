#pragma once
/// The AI-workload part of a scenario: tenants with agreed shares, the job streams they submit,
/// and how the batch scheduler orders and places the jobs. docs/scenario.md describes the keys.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "capsim/sched/queue_order.hpp"
#include "capsim/workload/arrival_process.hpp"
#include "capsim/workload/distribution.hpp"

namespace capsim::scenario {

/// A partner or user community with an agreed share of the machine.
struct TenantSpec {
    std::string name;
    double share = 0; // normalised over all tenants by the loader
};

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

/// How much work a job is. Its run time depends on the GPU type it lands on, except for plain durations.
struct WorkSpec {
    enum class Kind { flops, gpu_hours, duration };
    Kind kind = Kind::duration;
    workload::Distribution amount = workload::Distribution::fixed(3600); // FLOP, GPU-hours on the reference GPU, or s
    double mfu = 0.4;                      // model FLOPs utilisation, for flops
    double reference_peak_flops = 0;       // per GPU, for gpu_hours: run time scales by reference / actual
};

/// A stream of jobs of one tenant and class.
struct WorkloadSpec {
    std::string name;
    std::size_t tenant = 0;
    JobClass job_class = JobClass::research; // also the class of a trace that names none
    std::optional<workload::ArrivalSpec> arrivals;  // Poisson arrivals; absent for a reservation or trace
    double arrivals_from_s = -std::numeric_limits<double>::infinity(); // submissions start (epoch s)
    double arrivals_to_s = std::numeric_limits<double>::infinity();    // and stop
    workload::Distribution gpus = workload::Distribution::fixed(1);
    WorkSpec work;
    std::optional<workload::Distribution> estimate_factor; // requested time / true run time (>= 1); none: exact
    double load = 0.9;                     // GPU load while running, 0..1, drives the power curve
    std::vector<std::size_t> sites;        // allowed sites (empty: any)
    std::vector<std::string> gpu_types;    // allowed GPU models (empty: any)
    std::uint64_t stream = 0;              // random stream index of this workload

    // An inference reservation: `gpus` GPUs held at one site over [from, to).
    struct Reservation {
        int gpus = 0;
        std::size_t site = 0;
        double from_s = 0;
        double to_s = 0;
    };
    std::optional<Reservation> reservation;

    // Jobs replayed from a trace file instead of generated.
    struct TraceJob {
        double submit_s = 0; // epoch s
        int gpus = 1;
        double duration_s = 0;
        double estimate_s = 0; // the requested time (>= duration); the duration itself when unknown
    };
    std::vector<TraceJob> trace;
};

struct SchedulerSpec {
    std::string policy = "easy";
    using Order = sched::QueueOrder; // the one queue-order enum of replays and scenarios
    Order order = Order::fifo;
    double fairshare_halflife_s = 14 * 86400.0;
    double max_walltime_s = std::numeric_limits<double>::infinity();
    enum class Urgent { preempt, front_of_queue };
    Urgent urgent = Urgent::preempt;
};

} // namespace capsim::scenario
