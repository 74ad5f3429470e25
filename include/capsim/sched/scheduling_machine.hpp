#pragma once
#include <cstdint>

#include "capsim/sched/start_bound.hpp"

namespace capsim::sched {

/// A queued job as a policy sees it: the model's handle and how long its owner says it will run.
/// What it needs (processors, GPUs on nodes at a site) is the machine's business, not the policy's.
struct PendingJob {
    std::uint32_t job = 0;
    double estimate_s = 0;
};

/// The machine as a scheduling policy sees it during one pass. It answers the two questions every
/// batch policy is built from, "could this job start now?" and "when, at the earliest?", and it
/// remembers the pass's starts and reservations so that later answers respect them. A policy never
/// learns what a resource is: the same policies run a pool of identical processors (trace replay) and
/// GPU nodes at sites (scenarios).
///
/// Policies never call start_now themselves on a model's machine: the scheduling pass does, after
/// checking the decision (SchedulingPass). Reservations last for the pass only.
class SchedulingMachine {
public:
    virtual ~SchedulingMachine() = default;

    virtual double now_s() const = 0;

    /// True when no job at all could start now (nothing free), so a pass may stop looking.
    virtual bool is_full() const = 0;

    /// What a job must satisfy to start now, given this pass's starts and reservations so far; a
    /// necessary condition only, which lets the queue skip the jobs that cannot start.
    virtual StartBound start_bound() const = 0;

    /// Could `job` start now and run for its whole estimate without delaying any reservation made
    /// earlier in this pass?
    virtual bool can_start_now(const PendingJob& job) = 0;

    /// Starts `job` now. Precondition: can_start_now(job).
    virtual void start_now(const PendingJob& job) = 0;

    /// Reserves `job` at the earliest time it can run for its whole estimate, given the running
    /// jobs' estimated ends and the starts and reservations made earlier in this pass; returns that
    /// time (> now unless the job could start now; +infinity when it never can).
    virtual double reserve_earliest(const PendingJob& job) = 0;
};

} // namespace capsim::sched
