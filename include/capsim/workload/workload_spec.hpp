#pragma once
/// What the tenants submit: the tenants with their agreed shares and the job streams they submit.
/// docs/scenario.md describes the keys.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "capsim/workload/arrival_process.hpp"
#include "capsim/workload/distribution.hpp"
#include "capsim/workload/failure_spec.hpp"
#include "capsim/workload/job_class.hpp"

namespace capsim::workload {

/// A partner or user community with an agreed share of the machine.
struct TenantSpec {
    std::string name;
    double share = 0; // normalised over all tenants by the loader
};

/// How much work a job is. Its run time depends on the GPU type it lands on, except for plain durations.
struct WorkSpec {
    enum class Kind { flops, gpu_hours, duration };
    Kind kind = Kind::duration;
    Distribution amount = Distribution::fixed(3600); // FLOP, GPU-hours on the reference GPU, or s
    double mfu = 0.4;                      // model FLOPs utilisation, for flops
    double reference_peak_flops = 0;       // per GPU, for gpu_hours: run time scales by reference / actual
};

/// A stream of jobs of one tenant and class.
struct WorkloadSpec {
    std::string name;
    std::size_t tenant = 0;
    JobClass job_class = JobClass::research; // also the class of a trace that names none
    std::optional<ArrivalSpec> arrivals;     // Poisson arrivals; absent for a reservation or trace
    double arrivals_from_s = -std::numeric_limits<double>::infinity(); // submissions start (epoch s)
    double arrivals_to_s = std::numeric_limits<double>::infinity();    // and stop
    Distribution gpus = Distribution::fixed(1);
    WorkSpec work;
    std::optional<Distribution> estimate_factor; // requested time / true run time (>= 1); none: exact
    double load = 0.9;                     // GPU load while running, 0..1, drives the power curve
    std::vector<std::size_t> sites;        // allowed sites (empty: any)
    std::vector<std::string> gpu_types;    // allowed GPU models (empty: any)
    std::uint64_t stream = 0;              // random stream index of this workload
    std::optional<CheckpointSpec> checkpoint; // none: a stopped job starts again from nothing

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

    /// Whether its jobs may run on GPUs of model `gpu` at site `site`: the allowed sites and types,
    /// and a reservation's site. The scheduler's pools and the loader's checks both ask this.
    bool may_use(std::size_t site, const std::string& gpu) const {
        if (reservation && site != reservation->site) return false;
        if (!sites.empty() && std::find(sites.begin(), sites.end(), site) == sites.end()) return false;
        return gpu_types.empty() || std::find(gpu_types.begin(), gpu_types.end(), gpu) != gpu_types.end();
    }
};

} // namespace capsim::workload
