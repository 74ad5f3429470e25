#pragma once
#include <cstdint>
#include <limits>
#include <vector>

#include "capsim/engine/event_queue.hpp"
#include "capsim/engine/model.hpp"

namespace capsim::engine {

/// The discrete-event loop: a clock, a future-event set and the models of one run. It knows no
/// resources and no policies, so each run (replication, trace replay) owns one and many can run side
/// by side in threads.
///
/// For each event, in (time, priority, sequence) order, run() does the same, in one place:
///   1. every model integrates up to the event's time (integrate_until, in the order added);
///   2. the model that scheduled the event handles it;
///   3. every model's after_event, in the order added.
/// A model that keeps output steps calls close_step(t) from its own handler, which tells every model.
class Engine {
public:
    /// Adds a model; models are called in the order added. A model belongs to one engine.
    void add(Model& model);

    /// Schedules an event of `owner` (a model of this engine) at `time_s`. Scheduling in the past,
    /// or for a model of another engine, is a bug and throws InternalError.
    void schedule(const Model& owner, double time_s, std::int32_t priority, std::uint32_t kind, std::uint64_t subject);

    /// Calls every model's start(), in the order added.
    void start();
    /// Handles events until none is left, or until the next one is later than `until_s` (events at
    /// `until_s` are handled; later ones stay unhandled).
    void run(double until_s = std::numeric_limits<double>::infinity());
    /// Ends an output step at `t_s` for every model, in the order added.
    void close_step(double t_s);

    double now_s() const noexcept { return now_s_; }
    std::uint64_t events_handled() const noexcept { return events_handled_; }

private:
    EventQueue queue_;
    std::vector<Model*> models_;
    double now_s_ = 0.0;
    std::uint64_t events_handled_ = 0;
    bool started_ = false;
};

} // namespace capsim::engine
