#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace capsim::sched {

/// A queued job as a policy sees it: how many units of the resource it asks for and how long its
/// owner says it will hold them. `job` is the model's own handle, opaque to the policy.
struct PendingJob {
    std::uint32_t job = 0;
    std::int64_t units = 0;
    double estimate_s = 0;
};

/// A running job as a policy sees it: the units it holds and when, by its estimate, it releases them.
struct RunningJob {
    std::uint32_t job = 0;
    std::int64_t units = 0;
    double estimated_end_s = 0;
};

/// What a scheduling policy may know at one scheduling pass. It is read-only: the policy answers with
/// decisions and the model applies them and checks that they are legal.
///
/// The resource is a pool of `total_units` identical units (processors now; the GPU model gives each
/// pool of one GPU type at one site its own view). `running` holds the jobs that still hold units as
/// the scheduler knows it, sorted by estimated end, all ending after `now_s`.
struct SchedulingView {
    double now_s = 0;
    std::int64_t total_units = 0;
    std::int64_t free_units = 0;
    std::span<const PendingJob> queue;   // in queue order: the policy's priority order
    std::span<const RunningJob> running; // ascending estimated_end_s, all > now_s
};

} // namespace capsim::sched
