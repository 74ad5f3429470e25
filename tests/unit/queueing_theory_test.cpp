// The engine and the FCFS policy against queueing theory: single-processor jobs with exponential
// service times arriving as a Poisson process on c processors form an M/M/c queue, whose mean wait
// in queue is given by the Erlang C formula. A long run must agree within its confidence interval.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "capsim/metrics/replay_summary.hpp"
#include "capsim/replay/trace_replay.hpp"

namespace capsim {
namespace {

/// Erlang C: the probability that an arrival waits, for c servers at offered load a = lambda / mu.
double erlang_c(int c, double a) {
    double term = 1, sum = 1; // sum_{k<c} a^k / k!
    for (int k = 1; k < c; ++k) {
        term *= a / k;
        sum += term;
    }
    const double last = term * a / c; // a^c / c!
    const double rho = a / c;
    return last / (1 - rho) / (sum + last / (1 - rho));
}

/// Mean wait in queue of M/M/c: C(c, a) / (c mu - lambda).
double mmc_mean_wait(int c, double lambda, double mu) {
    return erlang_c(c, lambda / mu) / (c * mu - lambda);
}

TEST(QueueingTheory, ErlangCFormulaMatchesKnownValues) {
    // M/M/1: C = rho; M/M/2 at a = 1: C = 1/3.
    EXPECT_NEAR(erlang_c(1, 0.7), 0.7, 1e-12);
    EXPECT_NEAR(erlang_c(2, 1.0), 1.0 / 3.0, 1e-12);
    EXPECT_NEAR(mmc_mean_wait(1, 0.5, 1.0), 1.0, 1e-12); // rho / (mu - lambda)
}

/// Simulates an M/M/c queue through the trace replay and returns per-job waits in arrival order.
std::vector<double> simulate_mmc(int c, double lambda, double mu, std::size_t jobs, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::exponential_distribution<double> gap(lambda), service(mu);
    workload::SwfTrace trace;
    trace.source = "M/M/c";
    trace.max_procs = c;
    double t = 0;
    for (std::size_t i = 0; i < jobs; ++i) {
        t += gap(rng);
        workload::SwfRecord r;
        r.id = static_cast<std::int64_t>(i + 1);
        r.submit_s = t;
        r.run_s = service(rng);
        r.allocated_processors = 1;
        r.requested_processors = 1;
        r.requested_time_s = -1; // the estimate is the run time; FCFS does not use it anyway
        trace.records.push_back(r);
    }
    replay::ReplayOptions options;
    options.policy = "fcfs";
    const auto result = replay::replay_trace(trace, options);
    std::vector<double> waits;
    for (const auto& j : result.jobs) waits.push_back(j.wait_s());
    return waits;
}

struct MmcCase {
    int servers;
    double utilization;
};

class ErlangC : public ::testing::TestWithParam<MmcCase> {};

TEST_P(ErlangC, MeanWaitAgreesWithinTheConfidenceInterval) {
    const auto [c, rho] = GetParam();
    const double mu = 1.0 / 100.0; // mean service 100 s
    const double lambda = rho * c * mu;
    const std::size_t jobs = 400'000, warmup = 20'000, batches = 40;
    const auto waits = simulate_mmc(c, lambda, mu, jobs, 20261127 + static_cast<std::uint64_t>(c));
    // Batch means: waits of neighbouring jobs are correlated, means of long batches much less so.
    const std::size_t batch = (jobs - warmup) / batches;
    std::vector<double> means;
    for (std::size_t b = 0; b < batches; ++b) {
        double sum = 0;
        for (std::size_t i = 0; i < batch; ++i) sum += waits[warmup + b * batch + i];
        means.push_back(sum / static_cast<double>(batch));
    }
    double mean = 0, var = 0;
    for (const double m : means) mean += m;
    mean /= static_cast<double>(batches);
    for (const double m : means) var += (m - mean) * (m - mean);
    var /= static_cast<double>(batches - 1);
    const double half_width = 3.0 * std::sqrt(var / static_cast<double>(batches)); // ~99.7 %
    const double theory = mmc_mean_wait(c, lambda, mu);
    std::printf("M/M/%d at rho %.2f: simulated mean wait %.3f s +- %.3f, Erlang C %.3f s\n", c, rho, mean, half_width,
                theory);
    EXPECT_NEAR(mean, theory, half_width) << "M/M/" << c << " at rho " << rho << ": simulated " << mean
                                          << " s, Erlang C " << theory << " s";
    EXPECT_LT(half_width, 0.3 * theory) << "the run is too short to test anything";
}

INSTANTIATE_TEST_SUITE_P(Cases, ErlangC,
                         ::testing::Values(MmcCase{1, 0.7}, MmcCase{4, 0.8}, MmcCase{16, 0.9}, MmcCase{32, 0.9}),
                         [](const auto& param_info) {
                             return "c" + std::to_string(param_info.param.servers) + "_rho" +
                                    std::to_string(static_cast<int>(param_info.param.utilization * 100));
                         });

} // namespace
} // namespace capsim
