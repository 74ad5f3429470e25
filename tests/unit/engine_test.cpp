#include "capsim/engine/engine.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "capsim/util/error.hpp"

namespace capsim::engine {
namespace {

/// Records what it sees; each event of kind 0 schedules a follow-up 10 s later, up to a limit.
class Recorder final : public Model {
public:
    void handle(const Event& event, Engine& engine) override {
        seen.push_back({engine.now_s(), event.subject});
        if (event.kind == 0 && event.subject < 3) engine.schedule(*this, engine.now_s() + 10, 0, 0, event.subject + 1);
    }
    std::vector<std::pair<double, std::uint64_t>> seen;
};

TEST(Engine, RunsEventsInOrderAndAdvancesTheClock) {
    Engine engine;
    Recorder recorder;
    engine.add(recorder);
    engine.schedule(recorder, 5, 0, 0, 0);
    engine.schedule(recorder, 12, 0, 1, 100);
    engine.run();
    const std::vector<std::pair<double, std::uint64_t>> expected{{5, 0}, {12, 100}, {15, 1}, {25, 2}, {35, 3}};
    EXPECT_EQ(recorder.seen, expected);
    EXPECT_EQ(engine.events_handled(), 5u);
    EXPECT_DOUBLE_EQ(engine.now_s(), 35);
}

class PastScheduler final : public Model {
public:
    void handle(const Event&, Engine& engine) override { engine.schedule(*this, engine.now_s() - 1, 0, 0, 0); }
};

TEST(Engine, SchedulingInThePastIsAnInternalError) {
    Engine engine;
    PastScheduler model;
    engine.add(model);
    engine.schedule(model, 5, 0, 0, 0);
    EXPECT_THROW(engine.run(), InternalError);
}

TEST(Engine, TwoEnginesDoNotShareState) {
    Engine a, b;
    Recorder ra, rb;
    a.add(ra);
    b.add(rb);
    a.schedule(ra, 1, 0, 0, 3);
    b.schedule(rb, 100, 0, 0, 3);
    a.run();
    b.run();
    EXPECT_EQ(ra.seen.front().first, 1);
    EXPECT_EQ(rb.seen.front().first, 100);
    EXPECT_THROW(a.schedule(rb, 2, 0, 0, 0), InternalError); // rb belongs to b
    EXPECT_THROW(a.add(rb), InternalError);
}

/// Logs every call the engine makes to it, with its name.
class Logger final : public Model {
public:
    Logger(std::string name, std::vector<std::string>& log) : name_(std::move(name)), log_(log) {}
    void start(Engine& engine) override {
        log_.push_back(name_ + ".start");
        engine.schedule(*this, name_ == "a" ? 1 : 2, 0, 7, 0);
    }
    void integrate_until(double t_s) override { log_.push_back(name_ + ".integrate " + std::to_string(int(t_s))); }
    void handle(const Event& event, Engine& engine) override {
        log_.push_back(name_ + ".handle kind " + std::to_string(event.kind));
        if (name_ == "b") engine.close_step(engine.now_s());
    }
    void close_step(double t_s) override { log_.push_back(name_ + ".close " + std::to_string(int(t_s))); }
    void after_event(Engine&) override { log_.push_back(name_ + ".after"); }

private:
    std::string name_;
    std::vector<std::string>& log_;
};

// The one per-event sequence: every model integrates, the owner handles, every model's after_event;
// a step closed by a handler reaches every model, in the order added.
TEST(Engine, RoutesEachEventToItsOwnerInTheOneSequence) {
    std::vector<std::string> log;
    Logger a("a", log), b("b", log);
    Engine engine;
    engine.add(a);
    engine.add(b);
    engine.start();
    engine.run();
    const std::vector<std::string> expected{
        "a.start", "b.start",
        "a.integrate 1", "b.integrate 1", "a.handle kind 7", "a.after", "b.after",
        "a.integrate 2", "b.integrate 2", "b.handle kind 7", "a.close 2", "b.close 2", "a.after", "b.after"};
    EXPECT_EQ(log, expected);
}

TEST(Engine, StopsAfterTheEventsAtTheHorizon) {
    Engine engine;
    Recorder recorder;
    engine.add(recorder);
    engine.schedule(recorder, 5, 0, 0, 0); // follow-ups at 15, 25, 35
    engine.run(25);
    EXPECT_EQ(recorder.seen.size(), 3u);
    EXPECT_DOUBLE_EQ(engine.now_s(), 25);
}

} // namespace
} // namespace capsim::engine
