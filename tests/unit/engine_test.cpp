#include "capsim/engine/engine.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "capsim/util/error.hpp"

namespace capsim::engine {
namespace {

/// Records what it sees; each event of kind 0 schedules a follow-up 10 s later, up to a limit.
class Recorder final : public EventHandler {
public:
    void handle(const Event& event, Engine& engine) override {
        seen.push_back({engine.now_s(), event.subject});
        if (event.kind == 0 && event.subject < 3) engine.schedule(engine.now_s() + 10, 0, 0, event.subject + 1);
    }
    std::vector<std::pair<double, std::uint64_t>> seen;
};

TEST(Engine, RunsEventsInOrderAndAdvancesTheClock) {
    Engine engine;
    engine.schedule(5, 0, 0, 0);
    engine.schedule(12, 0, 1, 100);
    Recorder recorder;
    engine.run(recorder);
    const std::vector<std::pair<double, std::uint64_t>> expected{{5, 0}, {12, 100}, {15, 1}, {25, 2}, {35, 3}};
    EXPECT_EQ(recorder.seen, expected);
    EXPECT_EQ(engine.events_handled(), 5u);
    EXPECT_DOUBLE_EQ(engine.now_s(), 35);
}

class PastScheduler final : public EventHandler {
public:
    void handle(const Event&, Engine& engine) override { engine.schedule(engine.now_s() - 1, 0, 0, 0); }
};

TEST(Engine, SchedulingInThePastIsAnInternalError) {
    Engine engine;
    engine.schedule(5, 0, 0, 0);
    PastScheduler handler;
    EXPECT_THROW(engine.run(handler), InternalError);
}

TEST(Engine, TwoEnginesDoNotShareState) {
    Engine a, b;
    a.schedule(1, 0, 0, 3);
    b.schedule(100, 0, 0, 3);
    Recorder ra, rb;
    a.run(ra);
    b.run(rb);
    EXPECT_EQ(ra.seen.front().first, 1);
    EXPECT_EQ(rb.seen.front().first, 100);
}

} // namespace
} // namespace capsim::engine
