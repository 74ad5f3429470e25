#include "capsim/metrics/replication_statistics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

#include "capsim/metrics/percentile.hpp"

namespace {

using capsim::metrics::percentile_sorted;
using capsim::metrics::replication_statistics;
using capsim::metrics::statistic_names;
using capsim::metrics::student_t_975;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// Rows of the result, as listed in statistic_names.
enum Row : Eigen::Index { mean, std_dev, ci95_low, ci95_high, p5, p10, p50, p90, p95 };
constexpr double quantile_percents[] = {5, 10, 50, 90, 95};

Eigen::MatrixXd one_column(const std::vector<double>& values) {
    return Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()));
}

bool bit_identical(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(double)) == 0;
}

/// Equal, or both NaN.
bool same_value(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

/// Uniform on (0, 1), never 0, from the top 53 bits: the same on every standard library.
double open_uniform(std::mt19937_64& rng) {
    return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53;
}

/// Standard normal by Box-Muller, written out because std::normal_distribution differs between
/// standard libraries and the test must draw the same samples everywhere.
double standard_normal(std::mt19937_64& rng) {
    const double radius = std::sqrt(-2 * std::log(open_uniform(rng)));
    return radius * std::cos(2 * std::numbers::pi * open_uniform(rng));
}

TEST(ReplicationStatistics, StudentTMatchesKnownQuantiles) {
    // References: 30-digit roots of the regularized incomplete beta (mpmath), which agree with the
    // rounded textbook values 12.7062047, 4.30265273, 2.57058184, 2.26215716, 2.04227246, 1.96233908.
    struct Case {
        std::size_t df;
        double t;
    };
    const Case cases[] = {{1, 12.706204736174704646},       {2, 4.3026527297494638523},
                          {3, 3.1824463052837095},          {5, 2.5705818356363155147},
                          {9, 2.2621571627982055426},       {30, 2.0422724563012383},
                          {1000, 1.962339080826408485},     {1001, 1.9623367052808799185},
                          {1000000, 1.9599663568141070353}, {1000000000, 1.9599639869123254686}};
    for (const auto& c : cases)
        EXPECT_NEAR(student_t_975(c.df), c.t, 1e-12 * c.t) << "df " << c.df;
    // Closed forms: df 1 is the Cauchy distribution; for df 2, t = (2p - 1) / sqrt(2 p (1 - p)).
    EXPECT_NEAR(student_t_975(1), std::tan(0.475 * std::numbers::pi), 1e-12 * 12.7);
    EXPECT_NEAR(student_t_975(2), 0.95 / std::sqrt(2 * 0.975 * 0.025), 1e-12 * 4.3);
    // Large df: the standard normal quantile.
    EXPECT_NEAR(student_t_975(std::size_t{1} << 50), 1.959963984540054, 1e-14);
}

TEST(ReplicationStatistics, StudentTDecreasesTowardTheNormalQuantile) {
    // Monotone across the switch from the exact sums to the asymptotic expansion (df 1000 / 1001).
    double previous = student_t_975(1);
    for (std::size_t df = 2; df <= 5000; ++df) {
        const double t = student_t_975(df);
        ASSERT_LT(t, previous) << "df " << df;
        previous = t;
    }
    EXPECT_GT(previous, 1.959963984540054);
}

TEST(ReplicationStatistics, StudentTRejectsZeroDegreesOfFreedom) {
    EXPECT_THROW(student_t_975(0), std::invalid_argument);
}

TEST(ReplicationStatistics, HandComputedColumn) {
    ASSERT_EQ(statistic_names.size(), 9u);
    // {1, 2, 3, 4} in shuffled replication order: mean 2.5, std sqrt(5/3) = 1.2909944.
    const Eigen::MatrixXd s = replication_statistics(one_column({3, 1, 4, 2}));
    ASSERT_EQ(s.rows(), 9);
    ASSERT_EQ(s.cols(), 1);
    const double std_expected = std::sqrt(5.0 / 3.0);
    const double half_width = 3.18244630528371 * std_expected / 2; // t(3) * std / sqrt(4)
    EXPECT_DOUBLE_EQ(s(mean, 0), 2.5);
    EXPECT_DOUBLE_EQ(s(std_dev, 0), std_expected);
    EXPECT_NEAR(s(std_dev, 0), 1.2909944, 1e-7);
    EXPECT_NEAR(s(ci95_low, 0), 2.5 - half_width, 1e-12);
    EXPECT_NEAR(s(ci95_high, 0), 2.5 + half_width, 1e-12);
    // scipy.stats.t.interval(0.95, 3, loc=2.5, scale=std / 2)
    EXPECT_NEAR(s(ci95_low, 0), 0.4457397432, 1e-9);
    EXPECT_NEAR(s(ci95_high, 0), 4.5542602568, 1e-9);
    // numpy.percentile([1, 2, 3, 4], [5, 10, 50, 90, 95]) = [1.15, 1.3, 2.5, 3.7, 3.85]
    EXPECT_DOUBLE_EQ(s(p5, 0), 1.15);
    EXPECT_DOUBLE_EQ(s(p10, 0), 1.3);
    EXPECT_DOUBLE_EQ(s(p50, 0), 2.5);
    EXPECT_DOUBLE_EQ(s(p90, 0), 3.7);
    EXPECT_DOUBLE_EQ(s(p95, 0), 3.85);
}

TEST(ReplicationStatistics, QuantilesMatchNumpy) {
    // Three columns, one value per replication each; the expected rows are numpy.percentile
    // (numpy 1.24, default method "linear") at [5, 10, 50, 90, 95].
    Eigen::MatrixXd samples(6, 3);
    samples.col(0) << 7, 1, 3, 10, 5, nan;
    samples.col(1) << -2, 0.5, 4, -1, 8, 3;
    samples.col(2) << nan, 6, nan, nan, 2, nan;
    const Eigen::MatrixXd s = replication_statistics(samples);
    const double expected[3][5] = {
        {1.4, 1.8, 5, 8.8, 9.4}, {-1.75, -1.5, 1.75, 6, 7}, {2.2, 2.4, 4, 5.6, 5.8}};
    for (Eigen::Index column = 0; column < 3; ++column)
        for (Eigen::Index q = 0; q < 5; ++q)
            EXPECT_NEAR(s(p5 + q, column), expected[column][q], 1e-12) << "column " << column << " row " << q;
    // numpy.mean and numpy.std(ddof=1) of the second column.
    EXPECT_NEAR(s(mean, 1), 2.0833333333333335, 1e-14);
    EXPECT_NEAR(s(std_dev, 1), 3.6934626932821, 1e-12);
}

TEST(ReplicationStatistics, NaNSamplesAreLeftOut) {
    const Eigen::MatrixXd with_nan = replication_statistics(one_column({1, nan, 2, 3, nan, 4}));
    const Eigen::MatrixXd without = replication_statistics(one_column({1, 2, 3, 4}));
    EXPECT_TRUE(bit_identical(with_nan, without));
    // n = 4 here, so the CI uses t(3), not t(5).
    EXPECT_NEAR(with_nan(ci95_high, 0) - with_nan(mean, 0), 3.18244630528371 * std::sqrt(5.0 / 3.0) / 2,
                1e-12);
}

TEST(ReplicationStatistics, AllNaNColumnIsAllNaN) {
    Eigen::MatrixXd samples(3, 2);
    samples.col(0) << nan, nan, nan;
    samples.col(1) << 1, 2, 3;
    const Eigen::MatrixXd s = replication_statistics(samples);
    for (Eigen::Index row = 0; row < s.rows(); ++row)
        EXPECT_TRUE(std::isnan(s(row, 0))) << statistic_names[row];
    EXPECT_DOUBLE_EQ(s(mean, 1), 2); // the neighbouring column is unaffected
    EXPECT_DOUBLE_EQ(s(std_dev, 1), 1);

    // No replications at all: every statistic of every value is NaN; no values: no columns.
    const Eigen::MatrixXd no_replications = replication_statistics(Eigen::MatrixXd(0, 4));
    ASSERT_EQ(no_replications.rows(), 9);
    ASSERT_EQ(no_replications.cols(), 4);
    EXPECT_TRUE(no_replications.array().isNaN().all());
    const Eigen::MatrixXd no_values = replication_statistics(Eigen::MatrixXd(5, 0));
    EXPECT_EQ(no_values.rows(), 9);
    EXPECT_EQ(no_values.cols(), 0);
}

TEST(ReplicationStatistics, SingleReplication) {
    Eigen::MatrixXd samples(1, 3);
    samples << 4.5, -1, nan;
    const Eigen::MatrixXd s = replication_statistics(samples);
    for (Eigen::Index column = 0; column < 2; ++column) {
        const double value = samples(0, column);
        EXPECT_EQ(s(mean, column), value);
        EXPECT_TRUE(std::isnan(s(std_dev, column)));
        EXPECT_TRUE(std::isnan(s(ci95_low, column)));
        EXPECT_TRUE(std::isnan(s(ci95_high, column)));
        for (Eigen::Index q = p5; q <= p95; ++q)
            EXPECT_EQ(s(q, column), value);
    }
    EXPECT_TRUE(s.col(2).array().isNaN().all());
    // One sample left among NaNs follows the same rule.
    const Eigen::MatrixXd one_left = replication_statistics(one_column({nan, 7, nan}));
    EXPECT_EQ(one_left(mean, 0), 7);
    EXPECT_EQ(one_left(p95, 0), 7);
    EXPECT_TRUE(std::isnan(one_left(std_dev, 0)));
}

TEST(ReplicationStatistics, ConstantColumnHasZeroWidthInterval) {
    const Eigen::MatrixXd s = replication_statistics(Eigen::MatrixXd::Constant(100, 1, 0.25));
    EXPECT_EQ(s(mean, 0), 0.25);
    EXPECT_EQ(s(std_dev, 0), 0);
    EXPECT_EQ(s(ci95_low, 0), 0.25);
    EXPECT_EQ(s(ci95_high, 0), 0.25);
    for (Eigen::Index q = p5; q <= p95; ++q)
        EXPECT_EQ(s(q, 0), 0.25);
}

TEST(ReplicationStatistics, InfiniteSamplesDoNotCrash) {
    Eigen::MatrixXd samples(3, 2);
    samples.col(0) << 1, inf, 2;
    samples.col(1) << -inf, inf, 0;
    const Eigen::MatrixXd s = replication_statistics(samples);
    EXPECT_EQ(s(mean, 0), inf);
    EXPECT_TRUE(std::isnan(s(std_dev, 0)));
    EXPECT_DOUBLE_EQ(s(p5, 0), 1.1); // between the finite 1 and 2
    EXPECT_TRUE(std::isnan(s(mean, 1)));
}

TEST(ReplicationStatistics, AgreesWithStraightforwardComputation) {
    // Many sizes (around the internal sort's small-input cutoff too), ties, negative values and NaNs:
    // quantiles must equal percentile_sorted on a std::sort-ed copy exactly.
    std::mt19937_64 rng(20240611);
    for (std::size_t n = 0; n <= 130; ++n) {
        for (int kind = 0; kind < 4; ++kind) {
            std::vector<double> column(n);
            for (auto& value : column) {
                if (kind == 0)
                    value = standard_normal(rng); // distinct
                else if (kind == 1)
                    value = static_cast<double>(rng() % 4) - 1; // many ties
                else if (kind == 2)
                    value = 3; // all equal
                else
                    value = rng() % 5 == 0 ? nan : 100 + standard_normal(rng); // with NaN
            }
            std::vector<double> kept;
            std::copy_if(column.begin(), column.end(), std::back_inserter(kept),
                         [](double v) { return !std::isnan(v); });
            std::sort(kept.begin(), kept.end());
            const Eigen::MatrixXd s = replication_statistics(one_column(column));
            for (Eigen::Index q = 0; q < 5; ++q)
                ASSERT_PRED2(same_value, s(p5 + q, 0), percentile_sorted(kept, quantile_percents[q]))
                    << "n " << n << " kind " << kind << " p" << quantile_percents[q];
            if (kept.size() < 2)
                continue;
            const auto count = static_cast<double>(kept.size());
            double sum = 0;
            for (double v : kept)
                sum += v;
            const double mean_expected = sum / count;
            double squares = 0;
            for (double v : kept)
                squares += (v - mean_expected) * (v - mean_expected);
            const double std_expected = std::sqrt(squares / (count - 1));
            ASSERT_NEAR(s(mean, 0), mean_expected, 1e-12 * (1 + std::abs(mean_expected))) << "n " << n;
            ASSERT_NEAR(s(std_dev, 0), std_expected, 1e-12 * (1 + std_expected)) << "n " << n;
            const double half_width = student_t_975(kept.size() - 1) * s(std_dev, 0) / std::sqrt(count);
            ASSERT_EQ(s(ci95_low, 0), s(mean, 0) - half_width);
            ASSERT_EQ(s(ci95_high, 0), s(mean, 0) + half_width);
        }
    }
}

TEST(ReplicationStatistics, DeterministicAndIndependentOfLayout) {
    std::mt19937_64 rng(7);
    Eigen::MatrixXd samples(37, 50);
    for (Eigen::Index column = 0; column < samples.cols(); ++column)
        for (Eigen::Index row = 0; row < samples.rows(); ++row)
            samples(row, column) = rng() % 10 == 0 ? nan : 5 + 2 * standard_normal(rng);
    const Eigen::MatrixXd first = replication_statistics(samples);
    EXPECT_TRUE(bit_identical(first, replication_statistics(samples)));

    // The same values inside a larger matrix, one row down: every column starts at a different
    // alignment, which must not change a bit (Eigen's vectorized sums depend on alignment).
    Eigen::MatrixXd larger = Eigen::MatrixXd::Zero(samples.rows() + 2, samples.cols() + 1);
    larger.block(1, 1, samples.rows(), samples.cols()) = samples;
    EXPECT_TRUE(
        bit_identical(first, replication_statistics(larger.block(1, 1, samples.rows(), samples.cols()))));

    // A row-major copy goes through a temporary but gives the same result.
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> row_major = samples;
    EXPECT_TRUE(bit_identical(first, replication_statistics(row_major)));

    // Reordering the replications changes nothing either (no zeros here, so no signed-zero ties).
    const Eigen::MatrixXd reversed = samples.colwise().reverse();
    EXPECT_TRUE(bit_identical(first, replication_statistics(reversed)));
}

TEST(ReplicationStatistics, ConfidenceIntervalCoversTrueMean) {
    // For normal samples the t interval covers the true mean in 95 % of trials. One column per trial;
    // 4000 trials give a standard error of 0.34 %, so 93-97 % is a wide margin. n = 2 (t = 12.7)
    // would cover only ~70 % with the normal 1.96, so it checks the t factor itself.
    constexpr double true_mean = 10, true_sigma = 3;
    constexpr Eigen::Index trials = 4000;
    for (const Eigen::Index replications : {Eigen::Index{2}, Eigen::Index{5}, Eigen::Index{30}}) {
        std::mt19937_64 rng(12345 + static_cast<std::uint64_t>(replications));
        Eigen::MatrixXd samples(replications, trials);
        for (Eigen::Index trial = 0; trial < trials; ++trial)
            for (Eigen::Index row = 0; row < replications; ++row)
                samples(row, trial) = true_mean + true_sigma * standard_normal(rng);
        const Eigen::MatrixXd s = replication_statistics(samples);
        const auto covered =
            ((s.row(ci95_low).array() <= true_mean) && (s.row(ci95_high).array() >= true_mean)).count();
        const double coverage = static_cast<double>(covered) / static_cast<double>(trials);
        EXPECT_GE(coverage, 0.93) << "n " << replications;
        EXPECT_LE(coverage, 0.97) << "n " << replications;
    }
}

} // namespace
