#include "capsim/replay/trace_replay.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "capsim/engine/engine.hpp"
#include "capsim/sched/policy_registry.hpp"
#include "capsim/sched/scheduling_pass.hpp"
#include "capsim/sched/unit_pool_machine.hpp"
#include "capsim/util/error.hpp"

namespace capsim::replay {
namespace {

enum EventKind : std::uint32_t { job_submit = 0, job_end = 1 };

// At one instant, submissions come before ends (pyss's convention).
constexpr std::int32_t submit_priority = 0;
constexpr std::int32_t end_priority = 1;

/// The replay model: a queue, a processor pool and a policy, driven by the engine's events; the
/// scheduling pass is the one scenario runs use.
class ReplayModel final : public engine::Model {
public:
    /// `by_submit` lists the jobs in the order they are submitted.
    ReplayModel(std::vector<JobOutcome>& jobs, std::vector<std::uint32_t> by_submit, std::int64_t processors,
                sched::SchedulingPolicy& policy, sched::QueueOrder order)
        : jobs_(jobs), by_submit_(std::move(by_submit)), processors_(processors), policy_(policy), queue_(order),
          units_by_job_(units_of(jobs)), machine_(units_by_job_) {}

    void start(engine::Engine& engine) override { schedule_next_submission(engine); }

    void handle(const engine::Event& event, engine::Engine& engine) override {
        const auto job = static_cast<std::uint32_t>(event.subject);
        if (event.kind == job_submit) {
            queue_.push(entry_of(job), 0, false);
            schedule_next_submission(engine);
        } else {
            finish(job);
        }
    }

    void after_event(engine::Engine& engine) override { schedule_pass(engine); }

    std::uint64_t passes() const { return passes_; }

    /// Called once the event set is empty: every job must have run.
    void check_all_done() const {
        if (!queue_.empty() || !running_.empty()) {
            throw InternalError("replay ended with " + std::to_string(queue_.size()) + " queued and " +
                                std::to_string(running_.size()) + " running jobs");
        }
    }

private:
    static std::vector<std::int64_t> units_of(const std::vector<JobOutcome>& jobs) {
        std::vector<std::int64_t> units;
        units.reserve(jobs.size());
        for (const JobOutcome& j : jobs) units.push_back(j.job.processors);
        return units;
    }

    sched::QueueEntry entry_of(std::uint32_t job) const {
        const ReplayJob& j = jobs_[job].job;
        return {sched::queue_key(queue_.order(), j.submit_s, j.estimate_s, 0, j.trace_position), job, j.processors,
                j.estimate_s};
    }

    /// Only the next submission is in the event set, not the whole trace: the set holds the running
    /// jobs' ends and one submission, and the order is the same (submissions come first at an instant).
    void schedule_next_submission(engine::Engine& engine) {
        if (next_submission_ == by_submit_.size()) return;
        const std::uint32_t job = by_submit_[next_submission_++];
        engine.schedule(*this, jobs_[job].job.submit_s, submit_priority, job_submit, job);
    }

    void finish(std::uint32_t job) { running_.remove(job, jobs_[job].start_s + jobs_[job].job.estimate_s); }

    void schedule_pass(engine::Engine& engine) {
        if (queue_.empty()) return;
        const double now = engine.now_s();
        // Jobs whose estimated end has come are free to the scheduler even before their end event.
        const std::span<const sched::RunningJob> live = running_.ending_after(now);
        std::int64_t live_units = 0;
        for (const sched::RunningJob& r : live) live_units += r.units;
        const std::int64_t free_units = processors_ - live_units;
        if (free_units <= 0) return; // nothing can start: every job needs at least one unit

        machine_.begin_pass(now, free_units, live);
        const auto& starts = pass_.run(policy_, queue_, machine_);
        ++passes_;
        for (const sched::PendingJob& start : starts) start_job(engine, start.job);
    }

    void start_job(engine::Engine& engine, std::uint32_t job) {
        const double now = engine.now_s();
        JobOutcome& outcome = jobs_[job];
        outcome.start_s = now;
        outcome.end_s = now + outcome.job.run_s;
        running_.add({job, outcome.job.processors, now + outcome.job.estimate_s});
        queue_.erase(entry_of(job).key, 0, false);
        engine.schedule(*this, outcome.end_s, end_priority, job_end, job);
    }

    std::vector<JobOutcome>& jobs_;
    const std::vector<std::uint32_t> by_submit_;
    std::size_t next_submission_ = 0;
    const std::int64_t processors_;
    sched::SchedulingPolicy& policy_;
    sched::SchedulingQueue queue_;
    sched::RunningList running_;              // includes jobs past their estimated end, until their end event
    std::vector<std::int64_t> units_by_job_;  // processors of each job, for the machine
    sched::UnitPoolMachine machine_;
    sched::SchedulingPass pass_;
    std::uint64_t passes_ = 0;
};

std::int64_t machine_size(const workload::SwfTrace& trace, const ReplayOptions& options) {
    if (options.processors) {
        if (*options.processors <= 0) {
            throw InputError("the machine needs at least one processor, got --procs " +
                             std::to_string(*options.processors));
        }
        return *options.processors;
    }
    if (auto declared = trace.declared_processors()) return *declared;
    throw InputError(trace.source + ": the trace declares no machine size (no '; MaxProcs:' or '; MaxNodes:' "
                                    "header); give it with --procs N");
}

} // namespace

ReplayResult replay_trace(const workload::SwfTrace& trace, const ReplayOptions& options) {
    auto policy = sched::make_policy(options.policy);
    return replay_trace(trace, options, *policy);
}

ReplayResult replay_trace(const workload::SwfTrace& trace, const ReplayOptions& options,
                          sched::SchedulingPolicy& policy) {
    ReplayResult result;
    result.source = trace.source;
    result.processors = machine_size(trace, options);
    result.order = options.order;
    result.records = trace.records.size();
    result.policy = std::string(policy.name());

    if (trace.records.size() >= std::numeric_limits<std::uint32_t>::max()) {
        throw InputError(trace.source + ": too many jobs for one replay (at most 4,294,967,294)");
    }
    for (std::size_t position = 0; position < trace.records.size(); ++position) {
        const Admission admission = admit(trace.records[position], position, result.processors);
        switch (admission.exclusion) {
        case Exclusion::none: result.jobs.push_back(JobOutcome{admission.job, 0, 0}); break;
        case Exclusion::skipped_run_time: ++result.excluded.skipped_run_time; break;
        case Exclusion::skipped_processors: ++result.excluded.skipped_processors; break;
        case Exclusion::rejected_too_large: ++result.excluded.rejected_too_large; break;
        }
    }

    const auto wall_start = std::chrono::steady_clock::now();
    // Submissions are handled in (submit time, trace position) order, so that at one instant they are
    // handled in trace order even when the file is not sorted by submit time.
    std::vector<std::uint32_t> by_submit(result.jobs.size());
    for (std::uint32_t i = 0; i < by_submit.size(); ++i) by_submit[i] = i;
    const auto earlier = [&](std::uint32_t a, std::uint32_t b) {
        return result.jobs[a].job.submit_s < result.jobs[b].job.submit_s;
    };
    // Archive traces are nearly always in submit order already: check before sorting.
    if (!std::is_sorted(by_submit.begin(), by_submit.end(), earlier)) {
        std::stable_sort(by_submit.begin(), by_submit.end(), earlier);
    }
    engine::Engine engine;
    ReplayModel model(result.jobs, std::move(by_submit), result.processors, policy, options.order);
    engine.add(model);
    engine.start();
    engine.run();
    model.check_all_done();
    result.simulate_wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    result.events = engine.events_handled();
    result.passes = model.passes();
    return result;
}

} // namespace capsim::replay
