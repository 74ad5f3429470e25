#pragma once
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "capsim/sched/scheduling_machine.hpp"

namespace capsim::sched {

/// A batch scheduling policy: at each pass it walks the queue (in the model's queue order) and
/// decides, by asking the machine, which jobs start now. It starts nothing itself and keeps no
/// state between passes, so the same queue and machine always give the same decisions.
class SchedulingPolicy {
public:
    virtual ~SchedulingPolicy() = default;
    virtual std::string_view name() const = 0;

    /// Appends to `starts` the positions in `queue` of the jobs to start now, in increasing order.
    /// `starts` is empty on entry.
    virtual void select(std::span<const PendingJob> queue, SchedulingMachine& machine,
                        std::vector<std::size_t>& starts) = 0;
};

} // namespace capsim::sched
