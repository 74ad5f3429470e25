#include "capsim/sched/easy_policy.hpp"

#include <algorithm>

#include "capsim/sched/fcfs_policy.hpp"
#include "capsim/util/error.hpp"

namespace capsim::sched {
namespace {

struct Reservation {
    double shadow_s = 0;
    std::int64_t extra_units = 0;
};

/// Walks the estimated ends of the running jobs and of those just started (both ascending) until
/// enough units are free for `needed`, releasing every job that ends at the same instant together.
Reservation find_shadow(std::int64_t free_units, std::int64_t needed, std::span<const RunningJob> running,
                        std::span<const std::pair<double, std::int64_t>> started) {
    std::size_t r = 0;
    std::size_t s = 0;
    while (r < running.size() || s < started.size()) {
        const double next_r = r < running.size() ? running[r].estimated_end_s : 0;
        const double next_s = s < started.size() ? started[s].first : 0;
        const double t = (s == started.size() || (r < running.size() && next_r <= next_s)) ? next_r : next_s;
        while (r < running.size() && running[r].estimated_end_s == t) free_units += running[r++].units;
        while (s < started.size() && started[s].first == t) free_units += started[s++].second;
        if (free_units >= needed) return {t, free_units - needed};
    }
    throw InternalError("EASY: no shadow time found; a queued job asks for more units than exist");
}

} // namespace

void EasyPolicy::select(const SchedulingView& view, std::vector<std::size_t>& starts) {
    last_reservation_.reset();
    const HeadStart head_start = start_from_head(view, starts);
    std::int64_t free_units = head_start.free_units;
    const std::size_t head = head_start.blocked;
    if (head + 1 >= view.queue.size()) return; // no blocked head, or nothing behind it to backfill

    started_ends_.clear();
    for (const std::size_t i : starts) {
        started_ends_.emplace_back(view.now_s + view.queue[i].estimate_s, view.queue[i].units);
    }
    std::sort(started_ends_.begin(), started_ends_.end());
    const Reservation reservation = find_shadow(free_units, view.queue[head].units, view.running, started_ends_);
    last_reservation_ = HeadReservation{view.queue[head].job, reservation.shadow_s};

    std::int64_t extra_units = reservation.extra_units;
    for (std::size_t i = head + 1; i < view.queue.size() && free_units > 0; ++i) {
        const PendingJob& job = view.queue[i];
        if (job.units > free_units) continue;
        const bool ends_by_shadow = view.now_s + job.estimate_s <= reservation.shadow_s;
        if (!ends_by_shadow && job.units > extra_units) continue;
        starts.push_back(i);
        free_units -= job.units;
        if (!ends_by_shadow) extra_units -= job.units;
    }
}

} // namespace capsim::sched
