#pragma once
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "capsim/sched/availability_profile.hpp"
#include "capsim/sched/scheduling_machine.hpp"

namespace capsim::sched {

/// A pool of identical units (processors) as a scheduling policy sees it in one pass: the units free
/// now, the running jobs' estimated ends, and each job's demand in units.
///
/// Answers are exact for any mix of starts and reservations (an availability profile). Because most
/// passes make no reservation or one (FCFS, EASY), those cases take a fast path: with no
/// reservation a job can start iff it fits now; with one, at shadow time S with `extra` units left
/// there, iff it fits now and either ends by S or needs no more than the extra units. Both equal the
/// profile's answer, since free units only grow after now and after S. The start bound follows the
/// same cases: with one reservation a job must fit now and either need no more than the extra units
/// or have an estimate within S - now.
class UnitPoolMachine final : public SchedulingMachine {
public:
    /// `units_by_job[job]` is each job's demand; it must outlive the machine.
    explicit UnitPoolMachine(std::span<const std::int64_t> units_by_job) : units_by_job_(units_by_job) {}

    /// Starts a pass at `now_s` with `free_units` free and `running` (ascending estimated end, all
    /// after now) holding the rest.
    void begin_pass(double now_s, std::int64_t free_units, std::span<const RunningJob> running);

    double now_s() const override { return now_s_; }
    bool is_full() const override { return free_now_ <= 0; }
    StartBound start_bound() const override;
    bool can_start_now(const PendingJob& job) override;
    void start_now(const PendingJob& job) override;
    double reserve_earliest(const PendingJob& job) override;

    std::int64_t free_units() const { return free_now_; }
    int reservations() const { return reservations_; }

    // The same questions by units and estimate, for machines made of several pools (GPU sites).
    bool can_start_units(std::int64_t units, double estimate_s);
    void start_units(std::int64_t units, double estimate_s);
    /// The earliest start for `units` over `estimate_s`, without reserving; +infinity if the pool
    /// never frees that many.
    double earliest_units(std::int64_t units, double estimate_s);
    void reserve_units_at(std::int64_t units, double estimate_s, double start_s);

private:
    void build_profile();

    std::int64_t units_of(const PendingJob& job) const { return units_by_job_[job.job]; }
    std::int64_t total_units() const;

    std::span<const std::int64_t> units_by_job_;
    double now_s_ = 0;
    std::int64_t free_at_pass_start_ = 0;
    std::int64_t free_now_ = 0;
    std::span<const RunningJob> running_;
    std::vector<std::pair<std::int64_t, double>> started_; // (units, estimate) before the first reservation
    int reservations_ = 0;
    double shadow_s_ = 0;          // the first reservation's start
    std::int64_t extra_units_ = 0; // free at the shadow time after the first reservation and later starts
    AvailabilityProfile profile_;  // built at the first reservation or query of the future
    bool profile_built_ = false;
};

} // namespace capsim::sched
