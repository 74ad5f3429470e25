#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

#include "capsim/sched/scheduling_view.hpp"

namespace capsim::sched {

/// A batch scheduling policy: at each pass it looks at the queue and the machine and decides which
/// queued jobs start now. It starts nothing itself and keeps no state between passes, so the same
/// view always gives the same decisions.
class SchedulingPolicy {
public:
    virtual ~SchedulingPolicy() = default;
    virtual std::string_view name() const = 0;

    /// Appends to `starts` the positions in `view.queue` of the jobs to start at `view.now_s`, in
    /// increasing order. `starts` is empty on entry.
    virtual void select(const SchedulingView& view, std::vector<std::size_t>& starts) = 0;
};

} // namespace capsim::sched
