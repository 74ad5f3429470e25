#include "capsim/workload/job_sources.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace capsim::workload {
namespace {

/// Takes every arrival of its workloads, as the workload model does, and records them.
class Taker final : public engine::Model {
public:
    explicit Taker(JobSources& sources) : sources_(sources) {}
    void start(engine::Engine& engine) override { sources_.start(engine, *this, 0, 1); }
    void handle(const engine::Event& event, engine::Engine& engine) override {
        const auto w = static_cast<std::size_t>(event.subject);
        taken.push_back({event.time_s, w, sources_.take(w)});
        sources_.schedule_next(engine, w, event.time_s);
    }
    struct Taken {
        double time_s;
        std::size_t workload;
        SourcedJob job;
    };
    std::vector<Taken> taken;

private:
    JobSources& sources_;
};

DemandSpec demand_of_three_sources() {
    DemandSpec demand;
    WorkloadSpec generated; // 1 job per 100 s on average, 1-8 GPUs, 10-minute jobs
    generated.arrivals = ArrivalSpec{};
    generated.arrivals->rate_per_s = 0.01;
    generated.gpus = Distribution::uniform(1, 8);
    generated.work.amount = Distribution::fixed(600);
    generated.stream = 3;
    WorkloadSpec trace; // two jobs; the one before the horizon starts at the start
    trace.trace = {{-50, 4, 100, 400}, {500, 2, 60, 30}};
    WorkloadSpec reservation;
    reservation.reservation = WorkloadSpec::Reservation{16, 0, 200, 900};
    demand.workloads = {generated, trace, reservation};
    return demand;
}

std::vector<Taker::Taken> take_all(const DemandSpec& demand, double end_s, std::uint64_t seed) {
    JobSources sources(demand, 0, end_s, StreamId{seed, 0, 0, 0});
    Taker taker(sources);
    engine::Engine engine;
    engine.add(taker);
    engine.start();
    engine.run(end_s);
    return taker.taken;
}

TEST(JobSources, TracesAndReservationsComeAsWritten) {
    const auto taken = take_all(demand_of_three_sources(), 1000, 1);
    std::vector<Taker::Taken> trace, reservation;
    for (const auto& t : taken) {
        if (t.workload == 1) trace.push_back(t);
        if (t.workload == 2) reservation.push_back(t);
    }
    ASSERT_EQ(trace.size(), 2u);
    EXPECT_EQ(trace[0].time_s, 0);        // submitted before the horizon: at its start
    EXPECT_EQ(trace[0].job.gpus, 4);
    EXPECT_EQ(trace[0].job.amount, 100);  // a trace job's amount is its run time
    EXPECT_EQ(trace[0].job.estimate_factor, 4);
    EXPECT_EQ(trace[1].time_s, 500);
    EXPECT_EQ(trace[1].job.estimate_factor, 1); // an estimate below the run time counts as the run time
    ASSERT_EQ(reservation.size(), 1u);
    EXPECT_EQ(reservation[0].time_s, 200);
    EXPECT_EQ(reservation[0].job.gpus, 16);
    EXPECT_EQ(reservation[0].job.fixed_end_s, 900);
}

TEST(JobSources, GeneratedArrivalsAreReproducibleAndAtTheirRate) {
    const double end_s = 1e6; // 10,000 expected arrivals
    const auto a = take_all(demand_of_three_sources(), end_s, 7);
    const auto b = take_all(demand_of_three_sources(), end_s, 7);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].time_s, b[i].time_s);
        ASSERT_EQ(a[i].job.gpus, b[i].job.gpus);
    }
    std::size_t generated = 0;
    for (const auto& t : a) {
        if (t.workload != 0) continue;
        ++generated;
        EXPECT_GE(t.job.gpus, 1);
        EXPECT_LE(t.job.gpus, 8);
        EXPECT_EQ(t.job.amount, 600);
        EXPECT_EQ(t.job.fixed_end_s, -1);
    }
    // Poisson count: mean 10,000, standard deviation 100; 5 sigma either side.
    EXPECT_NEAR(static_cast<double>(generated), 10'000.0, 500.0);
    EXPECT_NE(take_all(demand_of_three_sources(), end_s, 8).size(), a.size()); // another seed, other draws
}

} // namespace
} // namespace capsim::workload
