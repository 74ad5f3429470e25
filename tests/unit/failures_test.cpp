// Node failures, repairs and checkpoints through a whole scenario run: hand-computed cases from a
// failure trace, the series model of a large job, Little's law for repairs, Young/Daly checkpoint
// intervals against the simulated waste, and the invariants that must hold with failures.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>

#include "capsim/run/scenario_run.hpp"
#include "capsim/scenario/scenario_loader.hpp"

namespace capsim {
namespace {

using workload::FailureSpec;
using workload::JobRecord;
using workload::JobState;

constexpr double hour_s = 3600, day_s = 86400;

/// One site with `nodes` HGX H100 nodes, in service from the start, one tenant, one workload.
scenario::Scenario scenario_with(int nodes, const std::string& workload, const std::string& end = "2026-01-01",
                                 const std::string& scheduler = "{policy: fcfs, order: fifo}") {
    const std::string text =
        "name: failure test\nseed: 5\nstart: 2026-01-01\nend: " + end + "\noutput: {timestep: 1h}\n"
        "sites:\n  - {name: s, grid: 100 MW, pue: 1.2, electricity: 100 USD/MWh, carbon: 400 g/kWh}\n"
        "buildout:\n  - {site: s, node: hgx-h100, count: " + std::to_string(nodes) + ", ordered: 2026-01-01}\n"
        "tenants:\n  - {name: t, share: 1}\n"
        "workloads:\n  - " + workload + "\nscheduler: " + scheduler + "\n";
    return scenario::parse_scenario(text, "test.yaml");
}

/// Replaces the workload's arrivals by one job of `gpus` GPUs submitted at the start, running
/// `duration_s` of compute.
void one_job(scenario::Scenario& s, int gpus, double duration_s) {
    workload::WorkloadSpec& w = s.workloads.front();
    w.arrivals.reset();
    w.trace = {{s.start_s, gpus, duration_s, duration_s}};
}

FailureSpec trace_of(std::vector<FailureSpec::TraceFailure> rows) {
    FailureSpec spec;
    spec.trace = std::move(rows);
    return spec;
}

FailureSpec random_failures(double rate_per_day, workload::Distribution repair_s) {
    FailureSpec spec;
    spec.rate_per_s = rate_per_day / day_s;
    spec.repair_s = std::move(repair_s);
    spec.stream = 991;
    return spec;
}

run::ScenarioResult run(const scenario::Scenario& s, std::uint64_t replication = 0, bool check = true) {
    return run::simulate_scenario(s, {0, replication}, check);
}

const std::string generated = "{name: w, tenant: t, class: training, arrivals: {rate: 1/day}, gpus: 8, duration: 1h}";

// A 10-minute one-node job; its node fails at minute 5 and is out for 5 minutes. Without checkpoints
// it loses its 5 minutes, waits for the node and runs its 10 minutes again: it ends at minute 20.
TEST(Failures, AFailureTraceStopsAJobThatStartsAgainFromNothing) {
    scenario::Scenario s = scenario_with(1, generated);
    one_job(s, 8, 600);
    s.failures = {trace_of({{s.start_s + 300, 0, "hgx-h100", 0, 300}})};
    const auto r = run(s);
    ASSERT_EQ(r.workload.jobs.size(), 1u);
    const JobRecord& job = r.workload.jobs.front();
    EXPECT_EQ(job.state, JobState::completed);
    EXPECT_DOUBLE_EQ(job.end_s - s.start_s, 1200);
    EXPECT_DOUBLE_EQ(job.first_start_s - s.start_s, 0);
    EXPECT_DOUBLE_EQ(job.start_s - s.start_s, 600);
    EXPECT_EQ(job.interruptions, 1u);
    EXPECT_EQ(job.preemptions, 0u);
    EXPECT_DOUBLE_EQ(job.productive_s, 600);
    EXPECT_DOUBLE_EQ(job.lost_gpu_hours, 300 * 8 / hour_s);
    EXPECT_EQ(r.workload.interruptions, 1u);
    // The hour's failure series: one failure, the node out for 300 s of the first hour.
    ASSERT_GE(r.workload.node_failures.size(), 1u);
    EXPECT_EQ(r.workload.node_failures[0], 1);
    EXPECT_DOUBLE_EQ(r.workload.nodes_in_repair[0], 300 / hour_s);
    EXPECT_DOUBLE_EQ(r.workload.unavailable_gpu_hours[0], 8 * 300 / hour_s);
}

// The same with a checkpoint every 60 s of compute costing 1 s and a 10 s restart:
//   run 1 from 0: checkpoint k done at 61 k s; at 300 s four are done (244 s), 240 s of work saved,
//                 60 s lost (4 s of checkpoints and 56 s of unsaved compute);
//   out 300 to 600 s;
//   run 2 from 600 s: restart 10 s, 360 s of work in 6 segments with 5 checkpoints: 375 s, ends at 975 s.
// Held 300 + 375 = 675 s, productive 600 s, lost 75 s on 8 GPUs. The node draws idle power except
// while it is out, and its GPUs draw at the job's load for the 675 s held.
TEST(Failures, CheckpointsKeepTheWorkTheyHadSavedAndCostTimeAndEnergy) {
    scenario::Scenario s = scenario_with(1, generated);
    one_job(s, 8, 600);
    s.workloads.front().checkpoint = workload::CheckpointSpec{60, false, 1, 10};
    s.failures = {trace_of({{s.start_s + 300, 0, "hgx-h100", 0, 300}})};
    const auto r = run(s);
    const JobRecord& job = r.workload.jobs.front();
    EXPECT_EQ(job.state, JobState::completed);
    EXPECT_DOUBLE_EQ(job.end_s - s.start_s, 975);
    EXPECT_DOUBLE_EQ(job.run_s, 375);
    EXPECT_DOUBLE_EQ(job.productive_s, 600);
    EXPECT_NEAR(job.lost_gpu_hours, 75 * 8 / hour_s, 1e-12);

    const auto* node = s.catalog.find_node("hgx-h100");
    const auto* gpu = s.catalog.find_gpu(node->gpu);
    const double load = s.workloads.front().load;
    const double idle_node_w = node->gpus * s.power_curve.gpu_power_w(gpu->idle_w, gpu->tdp_w, 0) + node->overhead_w;
    const double above_idle_w = node->gpus * (s.power_curve.gpu_power_w(gpu->idle_w, gpu->tdp_w, load) -
                                              s.power_curve.gpu_power_w(gpu->idle_w, gpu->tdp_w, 0));
    const double expected_j = idle_node_w * (day_s - 300) + above_idle_w * 675;
    EXPECT_NEAR(r.infra.totals[0].it_energy_mwh * 3.6e9, expected_j, 1e-6 * expected_j);
}

// A job on 2,048 nodes at 6.5 failures per 1,000 node-days is interrupted every
// 1 / (2048 x 0.0065 / day) = 1.80 h of running: spares with short repairs let it restart at once.
TEST(Failures, ALargeJobIsInterruptedAtTheSumOfItsNodesFailureRates) {
    scenario::Scenario s = scenario_with(2100, generated, "2026-03-31");
    one_job(s, 2048 * 8, 60 * day_s);
    s.workloads.front().checkpoint = workload::CheckpointSpec{1800, false, 10, 60};
    s.failures = {random_failures(0.0065, workload::Distribution::fixed(600))};
    const auto r = run(s, 0, false);
    const JobRecord& job = r.workload.jobs.front();
    const double running_s = job.productive_s + job.lost_gpu_hours * hour_s / job.gpus +
                             (job.state == JobState::running ? s.end_s - job.start_s : 0.0);
    const double expected = running_s / (1.80 * hour_s) * (1.80 * hour_s * 2048 * 0.0065 / day_s);
    EXPECT_GT(expected, 500);
    EXPECT_NEAR(job.interruptions, expected, 4 * std::sqrt(expected));
    EXPECT_NEAR(running_s / job.interruptions / hour_s, 1.80, 1.80 * 4 / std::sqrt(expected));
}

// Each node is up for 1 / r on average, then out for D: the mean number in repair is
// N x r D / (1 + r D), about N r D (Little's law) when r D << 1.
TEST(Failures, TheMeanNumberOfNodesInRepairFollowsLittlesLaw) {
    scenario::Scenario s = scenario_with(200, "{name: w, tenant: t, class: research, arrivals: {rate: 400/day},"
                                              " gpus: {choice: [1, 8, 16]}, duration: {exponential: {mean: 2h}}}",
                                         "2028-12-31");
    s.failures = {random_failures(0.01, workload::Distribution::exponential(2 * day_s))};
    // Three years of 200 nodes: the invariants, checked after every event, are another test's.
    const auto r = run(s, 0, false);
    const auto& in_repair = r.workload.nodes_in_repair;
    ASSERT_FALSE(in_repair.empty());
    const double mean = std::accumulate(in_repair.begin(), in_repair.end(), 0.0) / static_cast<double>(in_repair.size());
    const double rd = 0.01 * 2;
    const double expected = 200 * rd / (1 + rd);
    // About 2,100 repairs of exponential length: the time-mean is within a few per cent.
    EXPECT_NEAR(mean, expected, 0.12 * expected);
    EXPECT_GT(r.workload.interruptions, 0u);
}

/// Simulated ETTR of one long job on 64 of 72 nodes whose mean time to failure is 10 h, with
/// checkpoints every `interval_s` (or auto) costing 60 s and restarts of 300 s, over replications.
double mean_ettr(double interval_s, bool automatic, int replications) {
    scenario::Scenario s = scenario_with(72, generated, "2026-12-31");
    one_job(s, 64 * 8, 1000 * hour_s);
    s.workloads.front().checkpoint = workload::CheckpointSpec{interval_s, automatic, 60, 300};
    s.failures = {random_failures(day_s / (640 * hour_s), workload::Distribution::fixed(60))};
    double sum = 0;
    for (int k = 0; k < replications; ++k) {
        const auto r = run(s, static_cast<std::uint64_t>(k), false);
        const JobRecord& job = r.workload.jobs.front();
        EXPECT_EQ(job.state, JobState::completed);
        sum += job.productive_s / (job.end_s - job.first_start_s);
    }
    std::printf("interval %.0f s%s: ETTR %.4f\n", interval_s, automatic ? " (auto)" : "", sum / replications);
    return sum / replications;
}

// Young/Daly: with C = 60 s, R = 300 s, M = 10 h the waste C / tau + (tau / 2 + R) / M is least at
// tau = sqrt(2 C M) = 2,078 s (Daly 2,034 s), where ETTR ~ 1 - (60 / 2078 + (1039 + 300) / 36000) = 0.934.
// Halving or doubling tau wastes about a quarter more.
TEST(Failures, SimulatedWasteIsLeastNearTheYoungDalyIntervalAndAutoPicksIt) {
    const double mttf_s = 10 * hour_s, c = 60, restart = 300;
    const double young_s = std::sqrt(2 * c * mttf_s);
    const int reps = 6;
    const double at_optimum = mean_ettr(young_s, false, reps);
    const double first_order = 1 - (c / young_s + (young_s / 2 + restart) / mttf_s);
    EXPECT_NEAR(at_optimum, first_order, 0.01);
    for (const double k : {0.25, 0.5, 2.0, 4.0}) {
        EXPECT_LT(mean_ettr(k * young_s, false, reps), at_optimum) << "tau = " << k << " x sqrt(2 C M)";
    }
    EXPECT_NEAR(mean_ettr(0, true, reps), at_optimum, 0.005);
}

// Every job ends exactly once as completed, rejected, running or queued; the GPU-hours held (the
// tenants' delivered GPU-hours) are the productive plus the lost ones plus what the runs still going
// at the end have held; energy is the integral of power; the invariant check (no job on a failed
// node, no GPU counted twice) runs after every event.
TEST(Failures, InvariantsHoldOnRandomScenariosWithFailures) {
    for (const std::string scheduler : {"{policy: easy, order: fifo}", "{policy: conservative, order: sjf}"}) {
        scenario::Scenario s = scenario_with(
            24, "{name: w, tenant: t, class: training, arrivals: {rate: 60/day}, gpus: {choice: [1, 2, 8, 16, 32]},"
                " duration: {lognormal: {median: 2h, sigma: 1}}, estimate: {factor: {uniform: [1, 3]}}}",
            "2026-02-28", scheduler);
        s.workloads.front().checkpoint = workload::CheckpointSpec{1200, false, 30, 120};
        s.failures = {random_failures(0.2, workload::Distribution::choice({600, 4 * hour_s}, {0.8, 0.2}))};
        const auto r = run(s);
        double held = 0;
        std::size_t ended = 0;
        for (const JobRecord& job : r.workload.jobs) {
            held += job.productive_s * job.gpus / hour_s + job.lost_gpu_hours;
            if (job.state == JobState::running) held += (s.end_s - job.start_s) * job.gpus / hour_s;
            if (job.state == JobState::completed) {
                ++ended;
                EXPECT_GE(job.end_s, job.first_start_s);
                EXPECT_LE(job.productive_s, job.end_s - job.first_start_s + 1e-6);
            }
        }
        EXPECT_GT(ended, 1000u);
        EXPECT_GT(r.workload.interruptions, 50u);
        const double delivered = std::accumulate(r.workload.delivered_gpu_hours.begin(),
                                                 r.workload.delivered_gpu_hours.end(), 0.0);
        EXPECT_NEAR(held, delivered, 1e-6 * delivered) << scheduler;
        double integral_mwh = 0;
        const auto& series = r.infra.series;
        for (std::size_t k = 0; k < series.it_power_mean_w.size(); ++k) {
            integral_mwh += series.it_power_mean_w[k] * (series.step_end_s[k] - series.step_start_s[k]) / 3.6e9;
        }
        EXPECT_NEAR(integral_mwh, r.infra.totals[0].it_energy_mwh, 1e-9 * integral_mwh);
    }
}

// Failures come from streams of their own: the same seed submits the same jobs with and without them.
TEST(Failures, AddingFailuresLeavesTheArrivalsOfTheSameSeedAlone) {
    scenario::Scenario s = scenario_with(8, "{name: w, tenant: t, class: research, arrivals: {rate: 50/day},"
                                            " gpus: {choice: [1, 8]}, duration: {exponential: {mean: 1h}}}",
                                         "2026-01-31");
    const auto without = run(s);
    s.failures = {random_failures(0.5, workload::Distribution::fixed(hour_s))};
    const auto with = run(s);
    ASSERT_EQ(without.workload.jobs.size(), with.workload.jobs.size());
    for (std::size_t i = 0; i < with.workload.jobs.size(); ++i) {
        EXPECT_EQ(without.workload.jobs[i].submit_s, with.workload.jobs[i].submit_s);
        EXPECT_EQ(without.workload.jobs[i].gpus, with.workload.jobs[i].gpus);
    }
    EXPECT_GT(with.workload.interruptions, 0u);
}

} // namespace
} // namespace capsim

namespace capsim {
namespace {

// Two H100 nodes and one spare. A 16-GPU job of 600 s with checkpoints every 60 s (1 s each, 10 s
// restart) loses node 0 at 300 s for 300 s: the spare takes its place at once, the job keeps its
// 240 s and restarts there at 300 s: 10 + 360 + 5 = 375 s, ending at 675 s instead of 975 s.
TEST(Failures, ASpareNodeReplacesAFailedNodeOfARunningJobAtOnce) {
    scenario::Scenario s = scenario_with(3, generated);
    s.buildout.front().spare_nodes = 1;
    one_job(s, 16, 600);
    s.workloads.front().checkpoint = workload::CheckpointSpec{60, false, 1, 10};
    // The spare is the order's first node (index 0): the job runs on nodes 1 and 2.
    s.failures = {trace_of({{s.start_s + 300, 0, "hgx-h100", 1, 300}})};
    const auto r = run(s);
    const JobRecord& job = r.workload.jobs.front();
    EXPECT_EQ(job.state, JobState::completed);
    EXPECT_EQ(job.interruptions, 1u);
    EXPECT_DOUBLE_EQ(job.end_s - s.start_s, 675);
    EXPECT_DOUBLE_EQ(job.start_s - s.start_s, 300);
    EXPECT_DOUBLE_EQ(job.productive_s, 600);
    EXPECT_NEAR(job.lost_gpu_hours, (60 + 15) * 16 / hour_s, 1e-12);

    // Without the spare (two nodes) the job waits for the repair and ends at 975 s.
    scenario::Scenario without = scenario_with(2, generated);
    one_job(without, 16, 600);
    without.workloads.front().checkpoint = s.workloads.front().checkpoint;
    without.failures = {trace_of({{s.start_s + 300, 0, "hgx-h100", 0, 300}})};
    EXPECT_DOUBLE_EQ(run(without).workload.jobs.front().end_s - s.start_s, 975);
}

// Spares are never given a job: a job as large as all the order's nodes is one the pool can never
// hold, and rejected; spares draw idle power like any powered idle node.
TEST(Failures, SparesHoldNoJobAndCountOutOfThePool) {
    scenario::Scenario s = scenario_with(3, generated);
    s.buildout.front().spare_nodes = 1;
    one_job(s, 24, 600);
    const auto r = run(s);
    EXPECT_EQ(r.workload.jobs.front().state, JobState::rejected);
    const auto* node = s.catalog.find_node("hgx-h100");
    const auto* gpu = s.catalog.find_gpu(node->gpu);
    const double idle_node_w = node->gpus * s.power_curve.gpu_power_w(gpu->idle_w, gpu->tdp_w, 0) + node->overhead_w;
    EXPECT_NEAR(r.infra.totals[0].it_energy_mwh * 3.6e9, 3 * idle_node_w * day_s, 1e-6 * 3 * idle_node_w * day_s);
}

// An idle node that a spare replaces stops drawing while it is repaired: three idle nodes all day
// less one node for the hour it is out.
TEST(Failures, AnIdleNodeReplacedByASpareDrawsNothingWhileRepaired) {
    scenario::Scenario s = scenario_with(3, generated);
    s.buildout.front().spare_nodes = 1;
    one_job(s, 24, 600); // rejected: the pool never holds it, so every node stays idle
    s.failures = {trace_of({{s.start_s + 3600, 0, "hgx-h100", 1, 3600}})};
    const auto r = run(s);
    const auto* node = s.catalog.find_node("hgx-h100");
    const auto* gpu = s.catalog.find_gpu(node->gpu);
    const double idle_node_w = node->gpus * s.power_curve.gpu_power_w(gpu->idle_w, gpu->tdp_w, 0) + node->overhead_w;
    const double expected_j = idle_node_w * (3 * day_s - 3600);
    EXPECT_NEAR(r.infra.totals[0].it_energy_mwh * 3.6e9, expected_j, 1e-6 * expected_j);
}

} // namespace
} // namespace capsim
