#include "capsim/engine/engine.hpp"

#include <string>

#include "capsim/util/error.hpp"
#include "capsim/util/stop_request.hpp"

namespace capsim::engine {

void Engine::add(Model& model) {
    if (model.added_) throw InternalError("engine: a model was added twice");
    if (models_.size() > std::numeric_limits<std::uint16_t>::max()) throw InternalError("engine: too many models");
    model.index_ = static_cast<std::uint16_t>(models_.size());
    model.added_ = true;
    models_.push_back(&model);
}

void Engine::schedule(const Model& owner, double time_s, std::int32_t priority, std::uint32_t kind,
                      std::uint64_t subject) {
    if (!owner.added_ || owner.index_ >= models_.size() || models_[owner.index_] != &owner) {
        throw InternalError("engine: an event scheduled for a model of another engine");
    }
    if (started_ && time_s < now_s_) {
        throw InternalError("event scheduled in the past: at " + std::to_string(time_s) + " s, now is " +
                            std::to_string(now_s_) + " s");
    }
    if (priority < std::numeric_limits<std::int16_t>::min() || priority > std::numeric_limits<std::int16_t>::max()) {
        throw InternalError("engine: event priority " + std::to_string(priority) + " out of range");
    }
    queue_.push(time_s, static_cast<std::int16_t>(priority), kind, subject, owner.index_);
}

void Engine::start() {
    for (Model* model : models_) model->start(*this);
}

void Engine::run(double until_s) {
    started_ = true;
    while (!queue_.empty() && queue_.top().time_s <= until_s) {
        const Event event = queue_.pop();
        now_s_ = event.time_s;
        ++events_handled_;
        for (Model* model : models_) model->integrate_until(now_s_);
        models_[event.model]->handle(event, *this);
        for (Model* model : models_) model->after_event(*this);
        // A relaxed load every 4,096 events: a stop takes effect within milliseconds at no cost.
        if ((events_handled_ & 4095) == 0) throw_if_stop_requested("the simulation");
    }
}

void Engine::close_step(double t_s) {
    for (Model* model : models_) model->close_step(t_s);
}

} // namespace capsim::engine
