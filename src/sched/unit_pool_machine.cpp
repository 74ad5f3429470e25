#include "capsim/sched/unit_pool_machine.hpp"

#include <limits>

namespace capsim::sched {

void UnitPoolMachine::begin_pass(double now_s, std::int64_t free_units, std::span<const RunningJob> running) {
    now_s_ = now_s;
    free_at_pass_start_ = free_units;
    free_now_ = free_units;
    running_ = running;
    started_.clear();
    reservations_ = 0;
    profile_built_ = false;
}

StartBound UnitPoolMachine::start_bound() const {
    if (reservations_ == 1) return StartBound::with_reservation(free_now_, extra_units_, shadow_s_, now_s_);
    return {free_now_, free_now_, StartBound::unlimited};
}

bool UnitPoolMachine::can_start_now(const PendingJob& job) { return can_start_units(units_of(job), job.estimate_s); }
void UnitPoolMachine::start_now(const PendingJob& job) { start_units(units_of(job), job.estimate_s); }

double UnitPoolMachine::reserve_earliest(const PendingJob& job) {
    const std::int64_t units = units_of(job);
    const double start_s = earliest_units(units, job.estimate_s);
    reserve_units_at(units, job.estimate_s, start_s);
    return start_s;
}

bool UnitPoolMachine::can_start_units(std::int64_t units, double estimate_s) {
    if (units > free_now_) return false;
    if (reservations_ == 0) return true;
    if (reservations_ == 1) return now_s_ + estimate_s <= shadow_s_ || units <= extra_units_;
    return profile_.earliest_start(units, estimate_s) == now_s_;
}

void UnitPoolMachine::start_units(std::int64_t units, double estimate_s) {
    free_now_ -= units;
    if (!profile_built_) {
        started_.emplace_back(units, estimate_s); // the profile needs them if it is built later
        return;
    }
    profile_.reserve(units, now_s_, now_s_ + estimate_s);
    if (reservations_ >= 1 && now_s_ + estimate_s > shadow_s_) extra_units_ -= units;
}

void UnitPoolMachine::build_profile() {
    if (profile_built_) return;
    profile_.reset(now_s_, free_at_pass_start_, running_);
    for (const auto& [units, estimate_s] : started_) profile_.reserve(units, now_s_, now_s_ + estimate_s);
    profile_built_ = true;
}

std::int64_t UnitPoolMachine::total_units() const {
    std::int64_t total = free_at_pass_start_;
    for (const RunningJob& r : running_) total += r.units;
    return total;
}

double UnitPoolMachine::earliest_units(std::int64_t units, double estimate_s) {
    if (units > total_units()) return std::numeric_limits<double>::infinity();
    build_profile();
    return profile_.earliest_start(units, estimate_s);
}

void UnitPoolMachine::reserve_units_at(std::int64_t units, double estimate_s, double start_s) {
    build_profile();
    profile_.reserve(units, start_s, start_s + estimate_s);
    if (++reservations_ == 1) {
        shadow_s_ = start_s;
        extra_units_ = profile_.free_at(start_s);
    }
}

} // namespace capsim::sched
