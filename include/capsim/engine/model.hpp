#pragma once
#include <cstdint>

#include "capsim/engine/event.hpp"

namespace capsim::engine {

class Engine;

/// A part of a simulation that owns some state and the events that change it: the infrastructure,
/// the workload, a trace replay, an output sink. Models are added to an Engine, which routes each
/// event to the model that scheduled it and calls every model at fixed points around it (see
/// Engine::run), so no run writes its own per-event sequence.
class Model {
public:
    virtual ~Model() = default;

    /// Schedules the model's first events (Engine::start calls the models in the order added).
    virtual void start(Engine& engine) { (void)engine; }
    /// Brings the model's continuous quantities (energy, usage) up to `t_s`, before any model
    /// handles an event at `t_s`.
    virtual void integrate_until(double t_s) { (void)t_s; }
    /// Handles one of the events this model scheduled.
    virtual void handle(const Event& event, Engine& engine) = 0;
    /// An output step ends at `t_s` (Engine::close_step, called by the model that keeps the steps).
    virtual void close_step(double t_s) { (void)t_s; }
    /// After every event, whichever model handled it: a scheduling pass, say.
    virtual void after_event(Engine& engine) { (void)engine; }

private:
    friend class Engine;
    std::uint16_t index_ = 0; // in its engine, set by Engine::add
    bool added_ = false;
};

} // namespace capsim::engine
