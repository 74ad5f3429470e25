#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace capsim::sched {

/// A running job on a pool of identical units: the units it holds and when, by its estimate, it
/// releases them.
struct RunningJob {
    std::uint32_t job = 0;
    std::int64_t units = 0;
    double estimated_end_s = 0;
};

/// The jobs running on one pool, by estimated end (ties in the order they started): what a pass's
/// availability profile is built from. Holds at most as many jobs as the pool has units, so sorted
/// insertion into a vector is the cheapest structure here.
class RunningList {
public:
    void add(const RunningJob& job);
    /// Removes `job`, which must have been added with this estimated end; throws InternalError if not.
    void remove(std::uint32_t job, double estimated_end_s);

    std::span<const RunningJob> jobs() const { return jobs_; }
    std::size_t size() const { return jobs_.size(); }
    bool empty() const { return jobs_.empty(); }
    std::int64_t units() const { return units_; }

    /// The jobs whose estimated end is after `now_s`; the scheduler counts the others' units as free
    /// (a job at its estimated end has ended, even if its end event comes later at the same instant).
    std::span<const RunningJob> ending_after(double now_s) const;

private:
    std::vector<RunningJob> jobs_;
    std::int64_t units_ = 0;
};

} // namespace capsim::sched
