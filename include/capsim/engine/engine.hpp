#pragma once
#include <cstdint>
#include <limits>

#include "capsim/engine/event_queue.hpp"

namespace capsim::engine {

class Engine;

/// A model that reacts to events. The engine calls handle() for each event in order; the model may
/// schedule further events on the engine it is given.
class EventHandler {
public:
    virtual ~EventHandler() = default;
    virtual void handle(const Event& event, Engine& engine) = 0;
};

/// The discrete-event loop: a clock and a future-event set, nothing else. It knows no models, no
/// resources and no policies, so each run (replication, trace replay) owns one and many can run side
/// by side in threads.
class Engine {
public:
    /// Schedules an event at `time_s`; scheduling in the past is a bug and throws InternalError.
    void schedule(double time_s, std::int32_t priority, std::uint32_t kind, std::uint64_t subject);

    /// Handles events in (time, priority, sequence) order until none is left, or until the next one
    /// is later than `until_s` (events at `until_s` are handled; later ones stay unhandled).
    void run(EventHandler& handler, double until_s = std::numeric_limits<double>::infinity());

    double now_s() const noexcept { return now_s_; }
    std::uint64_t events_handled() const noexcept { return events_handled_; }
    void reserve(std::size_t events) { queue_.reserve(events); }

private:
    EventQueue queue_;
    double now_s_ = 0.0;
    std::uint64_t events_handled_ = 0;
    bool started_ = false;
};

} // namespace capsim::engine
