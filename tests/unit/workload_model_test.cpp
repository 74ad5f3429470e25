// The AI-workload model: run times from work, arrivals through the model, queueing theory on GPUs,
// fair share, urgent preemption, and placement invariants on random scenarios.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <algorithm>
#include <numeric>

#include "capsim/run/scenario_run.hpp"
#include "capsim/sched/fair_share.hpp"
#include "capsim/scenario/scenario_loader.hpp"
#include "test_support.hpp"

namespace capsim {
namespace {

using workload::JobState;

/// One site with `nodes` HGX nodes of a type, a year long unless told otherwise; workloads spliced in.
std::string scenario_text(const std::string& node, int nodes, const std::string& tenants, const std::string& workloads,
                          const std::string& scheduler = "scheduler: {policy: fcfs, order: fifo}\n",
                          const std::string& horizon = "start: 2026-01-01\nend: 2026-12-31\n") {
    return "name: workload test\nseed: 11\n" + horizon +
           "output: {timestep: 1d}\n"
           "sites:\n  - {name: s, grid: 100 MW, pue: 1.2, electricity: 100 USD/MWh, carbon: 400 g/kWh}\n"
           "buildout:\n  - {site: s, node: " + node + ", count: " + std::to_string(nodes) + ", ordered: 2026-01-01}\n" +
           tenants + workloads + scheduler;
}

run::ScenarioResult run(const std::string& yaml, bool check = true, std::uint64_t replication = 0) {
    return run::simulate_scenario(scenario::parse_scenario(yaml, "test.yaml"), {0, replication}, check);
}

const std::string one_tenant = "tenants:\n  - {name: t, share: 1}\n";

// A job of F FLOP on G GPUs of peak P at MFU m runs F / (G P m): 1e21 / (16 x 989e12 x 0.4) on H100
// = 157,988 s, and on B200 (2,250e12) 69,444 s. GPU-hours on a reference GPU scale by peak ratio.
TEST(WorkloadModel, RunTimeFromFlopsAndMfuOnTheGpuTypeItLandsOn) {
    const std::string workload = "workloads:\n  - {name: w, tenant: t, class: training, arrivals: {rate: 1/week},"
                                 " gpus: 16, work: {flops: 1e21}, mfu: 0.4}\n";
    for (const auto& [node, peak] : {std::pair<std::string, double>{"hgx-h100", 989e12}, {"hgx-b200", 2250e12}}) {
        const auto r = run(scenario_text(node, 4, one_tenant, workload));
        ASSERT_GT(r.workload.jobs.size(), 30u);
        for (const auto& job : r.workload.jobs) {
            if (job.state != JobState::completed) continue;
            EXPECT_DOUBLE_EQ(job.run_s, 1e21 / (16 * peak * 0.4)) << node;
            EXPECT_NEAR(job.end_s - job.start_s, job.run_s, 1e-6); // epoch seconds keep ~0.2 us
        }
    }
    // 100 GPU-hours on the H100 reference, on 8 B200: 100 x 3600 x (989 / 2250) / 8 = 19,780 s.
    const auto r = run(scenario_text("hgx-b200", 4, one_tenant,
                                     "workloads:\n  - {name: w, tenant: t, class: fine-tuning, arrivals: {rate: 1/day},"
                                     " gpus: 8, work: {gpu_hours: 100, reference: H100}}\n"));
    for (const auto& job : r.workload.jobs) {
        if (job.state == JobState::completed) {
            EXPECT_NEAR(job.run_s, 100 * 3600.0 * 989 / 2250 / 8, 1e-9);
        }
    }
}

// One B200 node and one A100 node; 8-GPU jobs of 2.592e19 FLOP at MFU 0.4 take 1 h on the B200
// (2.592e19 / (8 x 2,250e12 x 0.4)) and 7.2 h on the A100 (312e12). Under max_walltime 2 h a job is
// admitted for the B200 alone, so it must wait for it rather than take the idle A100 and run 7.2 h.
TEST(WorkloadModel, MaxWalltimeKeepsAJobOffPoolsWhereItWouldRunPastTheLimit) {
    const std::string yaml = "name: walltime\nseed: 5\nstart: 2026-01-01\nend: 2026-01-11\n"
                             "sites:\n  - {name: s, grid: 10 MW, pue: 1.2, electricity: 100 USD/MWh, carbon: 400 g/kWh}\n"
                             "buildout:\n  - {site: s, node: hgx-b200, count: 1, ordered: 2026-01-01}\n"
                             "  - {site: s, node: hgx-a100, count: 1, ordered: 2026-01-01}\n" +
                             one_tenant +
                             "workloads:\n  - {name: w, tenant: t, class: training, arrivals: {rate: 30/day}, gpus: 8,"
                             " work: {flops: 2.592e19}, mfu: 0.4}\n"
                             "scheduler: {policy: easy, order: fifo, max_walltime: 2h}\n";
    const auto r = run(yaml);
    std::size_t completed = 0;
    for (const auto& job : r.workload.jobs) {
        EXPECT_NE(job.rejection, workload::Rejection::over_max_walltime);
        if (job.state != JobState::completed) continue;
        ++completed;
        EXPECT_NEAR(job.end_s - job.start_s, 3600, 1e-6) << "a job ran on the A100, past max_walltime";
    }
    EXPECT_GT(completed, 200u); // about 24 a day on the B200 over 10 days
}

// Two H100 nodes retired after 30 days, and two more that arrive after that: the pool never has more
// than 16 GPUs in service, so a 32-GPU job is too large and rejected when submitted, rather than
// queued for nodes that are never there together.
TEST(WorkloadModel, AJobLargerThanThePoolEverHasInServiceIsRejected) {
    const std::string yaml = "name: retired\nseed: 5\nstart: 2026-01-01\nend: 2026-04-01\n"
                             "sites:\n  - {name: s, grid: 10 MW, pue: 1.2, electricity: 100 USD/MWh, carbon: 400 g/kWh}\n"
                             "buildout:\n  - {site: s, node: hgx-h100, count: 2, ordered: 2026-01-01, lead_time: 0d, lifetime: 30d}\n"
                             "  - {site: s, node: hgx-h100, count: 2, ordered: 2026-02-15, lead_time: 0d}\n" +
                             one_tenant +
                             "workloads:\n  - {name: w, tenant: t, class: research, arrivals: {rate: 1/day}, gpus: 32,"
                             " duration: 1h}\n";
    const auto r = run(yaml);
    ASSERT_GT(r.workload.jobs.size(), 50u);
    for (const auto& job : r.workload.jobs) {
        EXPECT_EQ(job.state, JobState::rejected);
        EXPECT_EQ(job.rejection, workload::Rejection::too_large);
    }
}

// Poisson arrivals at 100 a day over 365 days: 36,500 expected, standard deviation 191. With growth of
// 100 %/year the rate doubles over the year: expected 100 x 365 / ln 2 = 52,658.
TEST(WorkloadModel, PoissonArrivalsCountAndCompoundingGrowth) {
    const auto count = [](const std::string& arrivals) {
        const auto r = run(scenario_text("hgx-h100", 64, one_tenant,
                                         "workloads:\n  - {name: w, tenant: t, class: research, arrivals: " + arrivals +
                                             ", gpus: 1, duration: 1min}\n"),
                           false);
        return static_cast<double>(r.workload.jobs.size());
    };
    EXPECT_NEAR(count("{rate: 100/day}"), 36500, 4 * std::sqrt(36500));
    const double expected = 100 * 365 / std::log(2.0);
    EXPECT_NEAR(count("{rate: 100/day, growth: 100%/year}"), expected, 4 * std::sqrt(expected));
}

/// Erlang C for c servers at offered load a.
double erlang_c(int c, double a) {
    double term = 1, sum = 1;
    for (int k = 1; k < c; ++k) {
        term *= a / k;
        sum += term;
    }
    const double last = term * a / c / (1 - a / c);
    return last / (sum + last);
}

// Single-GPU jobs with exponential durations arriving as a Poisson process on c = 16 GPUs (two
// 8-GPU nodes) under FIFO form an M/M/16 queue: the mean wait must match Erlang C.
TEST(WorkloadModel, MeanWaitOnGpusMatchesErlangC) {
    const int c = 16;
    const double mean_service_s = 3600, rho = 0.85;
    const double per_day = rho * c * 86400 / mean_service_s;
    const auto r = run(scenario_text("hgx-h100", 2, one_tenant,
                                     "workloads:\n  - {name: w, tenant: t, class: research, arrivals: {rate: " +
                                         std::to_string(per_day) + "/day}, gpus: 1, duration: {exponential: {mean: 1h}}}\n",
                                     "scheduler: {policy: fcfs, order: fifo}\n", "start: 2026-01-01\nend: 2028-12-31\n"),
                       false);
    std::vector<double> waits;
    for (const auto& job : r.workload.jobs) {
        if (job.start_s >= 0) waits.push_back(job.start_s - job.submit_s);
    }
    const std::size_t warmup = 2000, batches = 30, batch = (waits.size() - warmup) / batches;
    std::vector<double> means;
    for (std::size_t b = 0; b < batches; ++b) {
        means.push_back(std::accumulate(waits.begin() + static_cast<std::ptrdiff_t>(warmup + b * batch),
                                        waits.begin() + static_cast<std::ptrdiff_t>(warmup + (b + 1) * batch), 0.0) /
                        static_cast<double>(batch));
    }
    const double mean = std::accumulate(means.begin(), means.end(), 0.0) / batches;
    double var = 0;
    for (const double m : means) var += (m - mean) * (m - mean);
    const double half_width = 3 * std::sqrt(var / (batches - 1) / batches);
    const double lambda = per_day / 86400, mu = 1 / mean_service_s;
    const double theory = erlang_c(c, lambda / mu) / (c * mu - lambda);
    EXPECT_NEAR(mean, theory, half_width) << "simulated " << mean << " s, Erlang C " << theory << " s";
    EXPECT_LT(half_width, 0.3 * theory);
}

TEST(FairShare, UsageHalvesOverEachHalfLifeOfIdleness) {
    sched::FairShare fs({0.5, 0.5}, 7 * 86400.0);
    fs.advance(70 * 86400.0, {8, 0}); // A holds 8 GPUs for ten half-lives: near its steady state
    const double used = fs.usage(0);
    EXPECT_NEAR(used, 8 * 7 * 86400 / std::log(2.0) * (1 - std::exp2(-10)), 1e-6 * used);
    EXPECT_NEAR(fs.factors()[0], 0.25, 1e-12); // U = 1, S = 0.5: 2^-2
    EXPECT_EQ(fs.factors()[1], 1.0);
    fs.advance(7 * 86400.0, {0, 0});
    EXPECT_NEAR(fs.usage(0), used / 2, 1e-9 * used);
    fs.advance(14 * 86400.0, {0, 0});
    EXPECT_NEAR(fs.usage(0), used / 8, 1e-9 * used);
}

// Two tenants with equal shares, both asking for more than half the machine, one three times as
// much as the other: under fair share each receives half; under FIFO the heavier takes about 3/4.
TEST(WorkloadModel, FairShareConvergesToTheAgreedShares) {
    const std::string tenants = "tenants:\n  - {name: a, share: 0.5}\n  - {name: b, share: 0.5}\n";
    // 8 nodes x 8 GPUs; 8-GPU jobs of 1 h: 192 jobs a day fit. a asks for 360 a day, b for 120: both
    // more than half (96 a day), a three times b.
    const std::string workloads =
        "workloads:\n"
        "  - {name: wa, tenant: a, class: research, arrivals: {rate: 360/day}, gpus: 8, duration: 1h}\n"
        "  - {name: wb, tenant: b, class: research, arrivals: {rate: 120/day}, gpus: 8, duration: 1h}\n";
    auto share_of_a = [&](const std::string& order) {
        const auto r = run(scenario_text("hgx-h100", 8, tenants, workloads,
                                         "scheduler: {policy: easy, order: " + order + ", fairshare: {halflife: 7d}}\n",
                                         "start: 2026-01-01\nend: 2026-02-14\n"),
                           false);
        // Delivered GPU-hours over the last 15 days, after three half-lives.
        const auto& d = r.workload.delivered_gpu_hours;
        double a = 0, b = 0;
        for (std::size_t step = r.infra.steps() - 15; step < r.infra.steps(); ++step) {
            a += d[step * 2];
            b += d[step * 2 + 1];
        }
        return a / (a + b);
    };
    EXPECT_NEAR(share_of_a("fairshare"), 0.5, 0.03);
    EXPECT_NEAR(share_of_a("fifo"), 0.75, 0.05);
}

// An urgent job on a full node starts at once; the training job it preempts requeues, restarts
// from scratch and finishes later.
TEST(WorkloadModel, UrgentJobPreemptsAndThePreemptedJobFinishesLater) {
    test::TempDir dir;
    std::ofstream(dir.path() / "training.csv") << "submit,gpus,duration\n0,8,36000\n";
    std::ofstream(dir.path() / "urgent.csv") << "submit,gpus,duration\n3600,8,7200\n";
    const std::string yaml = scenario_text(
        "hgx-h100", 1, one_tenant,
        "workloads:\n"
        "  - {name: train, tenant: t, class: training, trace: {file: training.csv, format: csv,"
        " columns: {submit: submit, gpus: gpus, duration: duration}}}\n"
        "  - {name: flood, tenant: t, class: urgent, trace: {file: urgent.csv, format: csv,"
        " columns: {submit: submit, gpus: gpus, duration: duration}}}\n",
        "scheduler: {policy: easy, order: fifo, urgent: preempt}\n", "start: 2026-01-01\nend: 2026-01-03\n");
    const auto path = dir.path() / "s.yaml";
    std::ofstream(path) << yaml;
    const auto r = run::simulate_scenario(scenario::load_scenario(path.string()), {}, true);
    ASSERT_EQ(r.workload.jobs.size(), 2u);
    const auto& training = r.workload.jobs[0];
    const auto& urgent = r.workload.jobs[1];
    const double t0 = training.submit_s;
    EXPECT_EQ(urgent.start_s, urgent.submit_s); // at once
    EXPECT_EQ(urgent.end_s - t0, 3600 + 7200);
    EXPECT_EQ(training.preemptions, 1u);
    EXPECT_EQ(training.state, JobState::completed);
    EXPECT_EQ(training.start_s - t0, 3600 + 7200);          // restarted when the urgent job ended
    EXPECT_EQ(training.end_s - t0, 3600 + 7200 + 36000);     // from scratch: no checkpoint
    EXPECT_EQ(r.workload.preemptions, 1u);
}

// Two urgent jobs that wait in one pass do not both count the same free GPUs. On 4 nodes x 8 GPUs,
// an urgent job holds 24 GPUs until 2 h and a research job the other 8; two urgent jobs of 16
// GPUs arrive at 1 h and wait (stopping the research job would not free 16). At 2 h, 24 GPUs are
// free: the first takes 16, and the second must preempt the research job to start then too,
// rather than wait until the first ends at 3 h because it counted the first one's GPUs as its own.
TEST(WorkloadModel, UrgentJobsWaitingTogetherDoNotCountTheSameFreeGpus) {
    test::TempDir dir;
    std::ofstream(dir.path() / "research.csv") << "submit,gpus,duration\n0,8,36000\n";
    std::ofstream(dir.path() / "urgent.csv") << "submit,gpus,duration\n0,24,7200\n3600,16,3600\n3600,16,3600\n";
    const std::string yaml = scenario_text(
        "hgx-h100", 4, one_tenant,
        "workloads:\n"
        "  - {name: study, tenant: t, class: research, trace: {file: research.csv, format: csv,"
        " columns: {submit: submit, gpus: gpus, duration: duration}}}\n"
        "  - {name: civil, tenant: t, class: urgent, trace: {file: urgent.csv, format: csv,"
        " columns: {submit: submit, gpus: gpus, duration: duration}}}\n",
        "scheduler: {policy: easy, order: fifo, urgent: preempt}\n", "start: 2026-01-01\nend: 2026-01-03\n");
    const auto path = dir.path() / "s.yaml";
    std::ofstream(path) << yaml;
    const auto r = run::simulate_scenario(scenario::load_scenario(path.string()), {}, true);
    ASSERT_EQ(r.workload.jobs.size(), 4u);
    const double t0 = r.workload.jobs[0].submit_s;
    std::vector<double> urgent_starts;
    const workload::JobRecord* research = nullptr;
    for (const auto& job : r.workload.jobs) {
        if (job.gpus == 16) urgent_starts.push_back(job.start_s - t0);
        if (job.gpus == 8) research = &job;
    }
    ASSERT_EQ(urgent_starts.size(), 2u);
    EXPECT_EQ(urgent_starts[0], 7200);
    EXPECT_EQ(urgent_starts[1], 7200); // at once too: the research job makes room
    ASSERT_NE(research, nullptr);
    EXPECT_EQ(research->preemptions, 1u);
    EXPECT_EQ(r.workload.preemptions, 1u);
}

// What the jobs ask for and what the tenant gets, by calendar year, on one 8-GPU node from
// 2026-12-01 to 2027-02-01 00:00 (trace times from the start, in s):
//   a: 8 GPUs for 2 h from 2026-12-31 23:00 (30 d 23 h): asks 16 GPU-h, half delivered in each year;
//   b: 16 GPUs, more than the node: rejected as too large, but asked for 16 x 1 h;
//   c: 8 GPUs for 10 h from 2027-01-31 23:00: only its first hour lies in the horizon, 8 GPU-h.
TEST(WorkloadModel, DemandIsCutAtTheHorizonAndDeliveryIsSplitAtNewYear) {
    test::TempDir dir;
    const double a_s = (30 * 24 + 23) * 3600.0, c_s = (61 * 24 + 23) * 3600.0;
    std::ofstream(dir.path() / "jobs.csv") << "submit,gpus,duration\n"
                                           << a_s << ",8,7200\n" << a_s + 60 << ",16,3600\n" << c_s << ",8,36000\n";
    std::string yaml = scenario_text(
        "hgx-h100", 1, one_tenant,
        "workloads:\n  - {name: w, tenant: t, class: research, trace: {file: jobs.csv, format: csv,"
        " columns: {submit: submit, gpus: gpus, duration: duration}}}\n",
        "scheduler: {policy: fcfs, order: fifo}\n", "start: 2026-12-01\nend: 2027-01-31\n"); // to 1 Feb 00:00
    yaml.replace(yaml.find("ordered: 2026-01-01"), 19, "ordered: 2026-12-01");
    const auto path = dir.path() / "s.yaml";
    std::ofstream(path) << yaml;
    const auto r = run::simulate_scenario(scenario::load_scenario(path.string()), {}, true);
    ASSERT_EQ(r.workload.jobs.size(), 3u);
    EXPECT_DOUBLE_EQ(r.workload.jobs[0].demand_gpu_hours, 16);
    EXPECT_EQ(r.workload.jobs[1].state, JobState::rejected);
    EXPECT_DOUBLE_EQ(r.workload.jobs[1].demand_gpu_hours, 16);
    EXPECT_DOUBLE_EQ(r.workload.jobs[2].demand_gpu_hours, 8);
    ASSERT_EQ(r.workload.delivered_gpu_hours_by_year.size(), 2u);
    EXPECT_NEAR(r.workload.delivered_gpu_hours_by_year[0], 8, 1e-6);
    EXPECT_NEAR(r.workload.delivered_gpu_hours_by_year[1], 8 + 8, 1e-6);
    EXPECT_NEAR(r.workload.delivered_gpu_hours_total[0], 24, 1e-6);
    const auto& y = r.workload_summary.by_year;
    ASSERT_EQ(y.size(), 2u);
    EXPECT_DOUBLE_EQ(y[0].all.demand_gpu_hours, 32);
    EXPECT_NEAR(y[1].tenants[0].delivered_gpu_hours, 16, 1e-6);
    EXPECT_DOUBLE_EQ(r.workload_summary.all.demand_gpu_hours, 40);
}

// Random mixes of job sizes, classes and policies on two sites and three GPU types, with a grid that
// strands nodes part of the time: the model checks after every event that no GPU is counted twice,
// every running job holds the GPUs it asked for within one pool, and queues and counts agree.
TEST(WorkloadModel, PlacementInvariantsOnRandomScenarios) {
    const char* policies[] = {"fcfs", "easy", "conservative"};
    const char* orders[] = {"fifo", "sjf", "fairshare", "priority"};
    for (int seed = 1; seed <= 6; ++seed) {
        const std::string yaml =
            "name: random\nseed: " + std::to_string(seed) +
            "\nstart: 2026-01-01\nend: 2026-02-28\noutput: {timestep: 1d}\n"
            "sites:\n"
            "  - {name: a, grid: [{from: 2026-01-01, capacity: 300 kW}, {from: 2026-02-01, capacity: 1 MW}], pue: 1.3,"
            " electricity: 100 USD/MWh, carbon: 400 g/kWh}\n"
            "  - {name: b, grid: 2 MW, pue: {monthly: [1.2, 1.5, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3]},"
            " electricity: 50 USD/MWh, carbon: 500 g/kWh}\n"
            "buildout:\n"
            "  - {site: a, node: hgx-h100, count: 40, ordered: 2026-01-01}\n"
            "  - {site: b, node: hgx-b200, count: 30, ordered: 2026-01-01, lead_time: 10d}\n"
            "  - {site: b, node: hgx-h100, count: 20, ordered: 2026-01-01, lifetime: 40d}\n"
            "tenants:\n  - {name: x, share: 2}\n  - {name: y, share: 1}\n  - {name: z, share: 1}\n"
            "workloads:\n"
            "  - {name: big, tenant: x, class: training, arrivals: {rate: 6/day}, gpus: {choice: [16, 32, 64, 200]},"
            " work: {flops: {lognormal: {median: 3e21, sigma: 1}}}, estimate: {factor: {uniform: [1, 3]}}}\n"
            "  - {name: tune, tenant: y, class: fine-tuning, arrivals: {rate: 40/day}, gpus: {choice: [4, 8, 12]},"
            " work: {gpu_hours: {exponential: {mean: 20}}, reference: H100}}\n"
            "  - {name: small, tenant: z, class: research, arrivals: {rate: 300/day, daily_cycle: afternoon-peak},"
            " gpus: {choice: [1, 2, 3, 4, 8], weights: [5, 2, 1, 1, 1]}, duration: {lognormal: {median: 20min, sigma: 1.5}}}\n"
            "  - {name: urgent, tenant: y, class: urgent, arrivals: {rate: 1/day}, gpus: 64, duration: {uniform: [1h, 4h]}}\n"
            "  - {name: serve, tenant: z, class: inference, reservation: {gpus: 48, from: 2026-01-10, to: 2026-02-10, site: b}}\n"
            "  - {name: huge, tenant: x, class: training, arrivals: {rate: 1/week}, gpus: 100000, duration: 1h}\n"
            "scheduler: {policy: " + std::string(policies[seed % 3]) + ", order: " + orders[seed % 4] + "}\n";
        const auto r = run(yaml, true); // throws on the first broken invariant
        std::size_t completed = 0, rejected = 0;
        for (const auto& job : r.workload.jobs) {
            completed += job.state == JobState::completed;
            rejected += job.state == JobState::rejected;
            if (job.state == JobState::rejected) {
                EXPECT_EQ(job.gpus, 100000);
            }
            if (job.start_s >= 0) {
                EXPECT_GE(job.start_s, job.submit_s);
            }
        }
        EXPECT_GT(completed, 300u) << "seed " << seed;
        EXPECT_GT(rejected, 0u) << "seed " << seed;
    }
}

TEST(WorkloadModel, SameSeedSameJobsOtherReplicationOtherJobs) {
    const std::string yaml = scenario_text("hgx-h100", 4, one_tenant,
                                           "workloads:\n  - {name: w, tenant: t, class: research, arrivals: {rate: 50/day},"
                                           " gpus: {choice: [1, 8]}, duration: {exponential: {mean: 1h}}}\n",
                                           "scheduler: {policy: easy, order: fifo}\n", "start: 2026-01-01\nend: 2026-01-31\n");
    const auto a = run(yaml, false), b = run(yaml, false), c = run(yaml, false, 1);
    ASSERT_EQ(a.workload.jobs.size(), b.workload.jobs.size());
    for (std::size_t i = 0; i < a.workload.jobs.size(); ++i) {
        EXPECT_EQ(a.workload.jobs[i].submit_s, b.workload.jobs[i].submit_s);
        EXPECT_EQ(a.workload.jobs[i].start_s, b.workload.jobs[i].start_s);
    }
    EXPECT_NE(a.workload.jobs.front().submit_s, c.workload.jobs.front().submit_s);
}

} // namespace
} // namespace capsim

namespace capsim {
namespace {

/// Counts what it receives and keeps nothing.
struct CountingSink final : workload::JobSink {
    std::size_t rows = 0, calls = 0;
    std::vector<double> submits;
    void write(std::span<const workload::JobRecord> batch) override {
        rows += batch.size();
        ++calls;
        for (const auto& r : batch) submits.push_back(r.submit_s);
    }
};

// Streaming the job table changes nothing in the run: every row reaches the sink exactly once, the
// summary is the same, and the rows left in memory at the end are none. A reservation running for
// the whole horizon is parked so that the rows after it can go.
TEST(WorkloadModel, StreamedJobTableMatchesTheInMemoryOne) {
    const std::string yaml = scenario_text(
        "hgx-h100", 32, "tenants:\n  - {name: a, share: 1}\n  - {name: b, share: 1}\n",
        "workloads:\n"
        "  - {name: serve, tenant: b, class: inference, reservation: {gpus: 16, from: 2026-01-02, to: 2026-12-31, site: s}}\n"
        "  - {name: w, tenant: a, class: research, arrivals: {rate: 1500/day}, gpus: {choice: [1, 2, 8]},"
        " duration: {exponential: {mean: 20min}}}\n",
        "scheduler: {policy: easy, order: fairshare}\n", "start: 2026-01-01\nend: 2026-03-31\n");
    const auto scenario = scenario::parse_scenario(yaml, "t.yaml");
    const auto kept = run::simulate_scenario(scenario);
    CountingSink sink;
    const auto streamed = run::simulate_scenario(scenario, {}, false, {&sink});
    ASSERT_GT(kept.workload.jobs.size(), 100000u);
    EXPECT_EQ(sink.rows, kept.workload.jobs.size());
    EXPECT_GT(sink.calls, 1u);
    EXPECT_TRUE(streamed.workload.jobs.empty());
    EXPECT_EQ(streamed.workload.jobs_total(), kept.workload.jobs_total());
    EXPECT_EQ(streamed.workload_summary.all.completed, kept.workload_summary.all.completed);
    EXPECT_EQ(streamed.workload_summary.all.wait_mean_s, kept.workload_summary.all.wait_mean_s);
    EXPECT_EQ(streamed.workload_summary.tenants[1].submitted, 1u);
    // The parked reservation (tenant b's only job) comes last.
    const auto reservation = std::find_if(kept.workload.jobs.begin(), kept.workload.jobs.end(),
                                          [](const workload::JobRecord& r) { return r.tenant == 1; });
    ASSERT_NE(reservation, kept.workload.jobs.end());
    EXPECT_EQ(sink.submits.back(), reservation->submit_s);
}

} // namespace
} // namespace capsim
