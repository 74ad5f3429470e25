#include "capsim/engine/engine.hpp"

#include <string>

#include "capsim/util/error.hpp"

namespace capsim::engine {

void Engine::schedule(double time_s, std::int32_t priority, std::uint32_t kind, std::uint64_t subject) {
    if (started_ && time_s < now_s_) {
        throw InternalError("event scheduled in the past: at " + std::to_string(time_s) + " s, now is " +
                            std::to_string(now_s_) + " s");
    }
    queue_.push(time_s, priority, kind, subject);
}

void Engine::run(EventHandler& handler, double until_s) {
    started_ = true;
    while (!queue_.empty() && queue_.top().time_s <= until_s) {
        const Event event = queue_.pop();
        now_s_ = event.time_s;
        ++events_handled_;
        handler.handle(event, *this);
    }
}

} // namespace capsim::engine
