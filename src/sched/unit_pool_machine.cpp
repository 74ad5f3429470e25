#include "capsim/sched/unit_pool_machine.hpp"

namespace capsim::sched {

void UnitPoolMachine::begin_pass(double now_s, std::int64_t free_units, std::span<const RunningJob> running) {
    now_s_ = now_s;
    free_at_pass_start_ = free_units;
    free_now_ = free_units;
    running_ = running;
    started_.clear();
    reservations_ = 0;
}

bool UnitPoolMachine::can_start_now(const PendingJob& job) {
    const std::int64_t units = units_of(job);
    if (units > free_now_) return false;
    if (reservations_ == 0) return true;
    if (reservations_ == 1) return now_s_ + job.estimate_s <= shadow_s_ || units <= extra_units_;
    return profile_.earliest_start(units, job.estimate_s) == now_s_;
}

void UnitPoolMachine::start_now(const PendingJob& job) {
    const std::int64_t units = units_of(job);
    free_now_ -= units;
    if (reservations_ == 0) {
        started_.emplace_back(units, job.estimate_s); // the profile needs them if a reservation follows
        return;
    }
    profile_.reserve(units, now_s_, now_s_ + job.estimate_s);
    if (now_s_ + job.estimate_s > shadow_s_) extra_units_ -= units;
}

double UnitPoolMachine::reserve_earliest(const PendingJob& job) {
    if (reservations_ == 0) {
        profile_.reset(now_s_, free_at_pass_start_, running_);
        for (const auto& [units, estimate_s] : started_) profile_.reserve(units, now_s_, now_s_ + estimate_s);
    }
    const std::int64_t units = units_of(job);
    const double start_s = profile_.earliest_start(units, job.estimate_s);
    profile_.reserve(units, start_s, start_s + job.estimate_s);
    if (++reservations_ == 1) {
        shadow_s_ = start_s;
        extra_units_ = profile_.free_at(start_s);
    }
    return start_s;
}

} // namespace capsim::sched
