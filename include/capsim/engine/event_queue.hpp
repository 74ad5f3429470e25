#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "capsim/engine/event.hpp"

namespace capsim::engine {

/// The future-event set: a binary min-heap on (time, priority, sequence).
/// push and pop are O(log n); the order of equal-time events is fixed by their priority and then by
/// the order in which they were pushed, never by memory addresses.
class EventQueue {
public:
    /// Adds an event and returns the sequence number it was given. `model` routes it in an Engine
    /// (the queue alone gives it no meaning).
    std::uint64_t push(double time_s, std::int16_t priority, std::uint32_t kind, std::uint64_t subject,
                       std::uint16_t model = 0);

    /// The next event. Precondition: !empty().
    const Event& top() const { return heap_.front(); }

    /// Removes and returns the next event. Precondition: !empty().
    Event pop();

    bool empty() const noexcept { return heap_.empty(); }
    std::size_t size() const noexcept { return heap_.size(); }
    void reserve(std::size_t n) { heap_.reserve(n); }

private:
    void sift_up(std::size_t i);
    void sift_down(std::size_t i);

    std::vector<Event> heap_;
    std::uint64_t next_sequence_ = 0;
};

} // namespace capsim::engine
