#pragma once
#include <cstdint>

namespace capsim::engine {

/// One entry of the future-event set. The engine gives `kind` and `subject` no meaning: the model
/// that scheduled the event (`model`, its index in the engine) interprets them (a job end and a job
/// index, say).
///
/// Events are ordered by (time, priority, sequence): at one instant a lower priority value comes
/// first, and among equal priorities the event scheduled first comes first. The sequence number is
/// assigned by the queue, so ties break identically on every run and every machine.
struct Event {
    double time_s = 0.0;
    std::int16_t priority = 0;
    std::uint16_t model = 0;
    std::uint32_t kind = 0;
    std::uint64_t sequence = 0;
    std::uint64_t subject = 0;
};

/// True when `a` must be handled before `b`.
constexpr bool comes_before(const Event& a, const Event& b) noexcept {
    if (a.time_s != b.time_s) return a.time_s < b.time_s;
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.sequence < b.sequence;
}

} // namespace capsim::engine
