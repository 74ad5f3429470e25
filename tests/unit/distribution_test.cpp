#include "capsim/workload/distribution.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <stdexcept>
#include <vector>

#include "capsim/util/error.hpp"
#include "test_support.hpp"

namespace capsim::workload {
namespace {

constexpr int draws = 200'000;
constexpr double never = std::numeric_limits<double>::infinity();

std::vector<double> sample_many(const Distribution& d, std::uint64_t seed, int n = draws) {
    RandomStream rng({seed, 0, 0, 0});
    std::vector<double> xs(static_cast<std::size_t>(n));
    for (auto& x : xs) x = d.sample(rng);
    return xs;
}

double mean_of(const std::vector<double>& xs) {
    double sum = 0;
    for (const double x : xs) sum += x;
    return sum / static_cast<double>(xs.size());
}

double sd_of(const std::vector<double>& xs) {
    const double m = mean_of(xs);
    double sum = 0;
    for (const double x : xs) sum += (x - m) * (x - m);
    return std::sqrt(sum / static_cast<double>(xs.size() - 1));
}

double median_of(std::vector<double> xs) {
    const auto middle = xs.begin() + static_cast<std::ptrdiff_t>(xs.size() / 2);
    std::nth_element(xs.begin(), middle, xs.end());
    return *middle;
}

/// The sample mean is within 5 standard errors of the distribution's, with its true sd.
void expect_mean_within_5_se(const Distribution& d, double true_sd, std::uint64_t seed) {
    const auto xs = sample_many(d, seed);
    EXPECT_NEAR(mean_of(xs), d.mean(), 5 * true_sd / std::sqrt(draws)) << d.describe();
    for (const double x : xs) {
        ASSERT_GE(x, d.min_value()) << d.describe();
        ASSERT_LE(x, d.max_value()) << d.describe();
    }
}

TEST(Distribution, Fixed) {
    const auto d = Distribution::fixed(4);
    RandomStream rng({1, 0, 0, 0});
    for (int i = 0; i < 10; ++i) EXPECT_EQ(d.sample(rng), 4.0);
    EXPECT_EQ(d.mean(), 4.0);
    EXPECT_EQ(d.min_value(), 4.0);
    EXPECT_EQ(d.max_value(), 4.0);
    EXPECT_EQ(d.describe(), "fixed(4)");
    EXPECT_THROW(Distribution::fixed(std::nan("")), std::invalid_argument);
}

TEST(Distribution, Uniform) {
    const auto d = Distribution::uniform(2, 10);
    EXPECT_EQ(d.mean(), 6.0);
    EXPECT_EQ(d.min_value(), 2.0);
    EXPECT_EQ(d.max_value(), 10.0);
    EXPECT_EQ(d.describe(), "uniform(2, 10)");
    expect_mean_within_5_se(d, 8 / std::sqrt(12.0), 2);
    EXPECT_NEAR(sd_of(sample_many(d, 3)), 8 / std::sqrt(12.0), 0.01 * 8 / std::sqrt(12.0));
    EXPECT_NO_THROW(Distribution::uniform(3, 3));
    EXPECT_THROW(Distribution::uniform(3, 2), std::invalid_argument);
    EXPECT_THROW(Distribution::uniform(0, never), std::invalid_argument);
}

TEST(Distribution, Exponential) {
    const auto d = Distribution::exponential(3600);
    EXPECT_EQ(d.mean(), 3600.0);
    EXPECT_EQ(d.min_value(), 0.0);
    EXPECT_EQ(d.max_value(), never);
    EXPECT_EQ(d.describe(), "exponential(mean 3600)");
    expect_mean_within_5_se(d, 3600, 4);
    // The median of an exponential is mean * ln 2; the sample median's sd is 1 / (2 f(median)
    // sqrt(n)) = mean / sqrt(n), the density there being 1 / (2 mean).
    EXPECT_NEAR(median_of(sample_many(d, 5)), 3600 * std::log(2.0), 5 * 3600 / std::sqrt(draws));
    EXPECT_THROW(Distribution::exponential(0), std::invalid_argument);
    EXPECT_THROW(Distribution::exponential(-1), std::invalid_argument);
}

TEST(Distribution, LognormalByMedian) {
    const double median = 5;
    const double sigma = 1;
    const auto d = Distribution::lognormal_median(median, sigma);
    EXPECT_DOUBLE_EQ(d.mean(), median * std::exp(0.5));
    EXPECT_EQ(d.min_value(), 0.0);
    EXPECT_EQ(d.max_value(), never);
    EXPECT_EQ(Distribution::lognormal_median(3e23, 1).describe(), "lognormal(median 3e+23, sigma 1)");
    // sd = mean * sqrt(e^(sigma^2) - 1)
    expect_mean_within_5_se(d, d.mean() * std::sqrt(std::exp(1.0) - 1), 6);
    // The log of the sample median is about normal with sd sqrt(pi / 2) sigma / sqrt(n).
    const double log_median_se = std::sqrt(std::acos(-1.0) / 2) * sigma / std::sqrt(draws);
    EXPECT_NEAR(std::log(median_of(sample_many(d, 7))), std::log(median), 5 * log_median_se);

    const auto degenerate = Distribution::lognormal_median(7, 0);
    EXPECT_EQ(degenerate.min_value(), 7.0);
    EXPECT_EQ(degenerate.max_value(), 7.0);
    EXPECT_EQ(sample_many(degenerate, 8, 10), std::vector<double>(10, 7.0));

    EXPECT_THROW(Distribution::lognormal_median(0, 1), std::invalid_argument);
    EXPECT_THROW(Distribution::lognormal_median(1, -0.1), std::invalid_argument);
}

TEST(Distribution, LognormalByMeanAndCv) {
    // Worked example of the class comment: mean 10, cv 1 is median 10 / sqrt 2, sigma sqrt(ln 2).
    const auto worked = Distribution::lognormal_mean(10, 1);
    EXPECT_DOUBLE_EQ(worked.mean(), 10.0);
    EXPECT_EQ(worked.describe(), "lognormal(mean 10, cv 1)");
    const auto same = Distribution::lognormal_median(10 / std::sqrt(2.0), std::sqrt(std::log(2.0)));
    EXPECT_NEAR(same.mean(), 10.0, 1e-12);
    EXPECT_EQ(sample_many(worked, 9, 100), sample_many(same, 9, 100));

    const double mean = 10;
    const double cv = 0.5;
    const auto d = Distribution::lognormal_mean(mean, cv);
    expect_mean_within_5_se(d, mean * cv, 10);
    const auto xs = sample_many(d, 11);
    // The sample sd's relative sd is about 0.3 % here (excess kurtosis 5); 2 % is well over 5 of them.
    EXPECT_NEAR(sd_of(xs) / mean_of(xs), cv, 0.02 * cv);
    EXPECT_NEAR(median_of(xs), mean / std::sqrt(1 + cv * cv), 0.01 * mean);

    EXPECT_THROW(Distribution::lognormal_mean(0, 1), std::invalid_argument);
    EXPECT_THROW(Distribution::lognormal_mean(1, -1), std::invalid_argument);
}

TEST(Distribution, ChoiceFrequenciesMatchWeights) {
    // 1000 has weight 0: never drawn, and not part of the support.
    const std::vector<double> values{1, 8, 64, 512, 1000};
    const std::vector<double> weights{4, 2, 1, 1, 0};
    const auto d = Distribution::choice(values, weights);
    EXPECT_DOUBLE_EQ(d.mean(), (4 * 1 + 2 * 8 + 64 + 512) / 8.0);
    EXPECT_EQ(d.min_value(), 1.0);
    EXPECT_EQ(d.max_value(), 512.0);
    EXPECT_EQ(d.describe(), "choice(1: 0.5, 8: 0.25, 64: 0.125, 512: 0.125, 1000: 0)");

    std::map<double, double> counts;
    for (const double x : sample_many(d, 12)) ++counts[x];
    EXPECT_EQ(counts.count(1000), 0u);
    double chi_square = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const double expected = draws * weights[i] / 8;
        chi_square += (counts[values[i]] - expected) * (counts[values[i]] - expected) / expected;
    }
    // The 99.99th percentile of chi-square with 3 degrees of freedom is 21.1.
    EXPECT_LT(chi_square, 21.1);

    // A leading zero weight, and a single value.
    EXPECT_EQ(sample_many(Distribution::choice({1, 2}, {0, 1}), 13, 100), std::vector<double>(100, 2.0));
    EXPECT_EQ(Distribution::choice({5}, {0.3}).mean(), 5.0);

    EXPECT_THROW(Distribution::choice({}, {}), std::invalid_argument);
    EXPECT_THROW(Distribution::choice({1, 2}, {1}), std::invalid_argument);
    EXPECT_THROW(Distribution::choice({1, 2}, {0, 0}), std::invalid_argument);
    EXPECT_THROW(Distribution::choice({1, 2}, {1, -1}), std::invalid_argument);
    EXPECT_THROW(Distribution::choice({1, never}, {1, 1}), std::invalid_argument);
}

TEST(Distribution, EmpiricalResamplesTheValues) {
    const auto d = Distribution::empirical({1, 2, 3, 10});
    EXPECT_EQ(d.mean(), 4.0);
    EXPECT_EQ(d.min_value(), 1.0);
    EXPECT_EQ(d.max_value(), 10.0);
    EXPECT_EQ(d.describe(), "empirical(4 values)");
    // Population sd of {1, 2, 3, 10}: sqrt((9 + 4 + 1 + 36) / 4).
    expect_mean_within_5_se(d, std::sqrt(50.0 / 4), 14);
    std::map<double, int> counts;
    for (const double x : sample_many(d, 15)) ++counts[x];
    ASSERT_EQ(counts.size(), 4u);
    for (const auto& [value, count] : counts)
        EXPECT_NEAR(count, draws / 4, 5 * std::sqrt(draws * 0.25 * 0.75));
    EXPECT_THROW(Distribution::empirical({}), std::invalid_argument);
    EXPECT_THROW(Distribution::empirical({1, std::nan("")}), std::invalid_argument);
}

TEST(Distribution, SameStreamSameDraws) {
    const auto d = Distribution::lognormal_mean(3600, 2);
    EXPECT_EQ(sample_many(d, 16, 1000), sample_many(d, 16, 1000));
    EXPECT_NE(sample_many(d, 16, 1000), sample_many(d, 17, 1000));
}

class DistributionCsv : public ::testing::Test {
  protected:
    std::string write(const std::string& name, const std::string& text) {
        const auto path = (dir_.path() / name).string();
        std::ofstream(path) << text;
        return path;
    }
    test::TempDir dir_;
};

/// The message of the InputError that `f` throws; fails the test if it throws nothing or another type.
template <class F> std::string input_error(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no InputError";
    return "";
}

TEST_F(DistributionCsv, ReadsTheColumn) {
    const auto path =
        write("jobs.csv", "\xEF\xBB\xBFjob, gpus ,runtime_s\n1,8,3600\n\n2, 64 ,7200\r\n3,16,60\n");
    const auto d = Distribution::empirical_from_csv(path, "gpus");
    EXPECT_EQ(d.describe(), "empirical(3 values)");
    EXPECT_EQ(d.mean(), (8 + 64 + 16) / 3.0);
    EXPECT_EQ(d.min_value(), 8.0);
    EXPECT_EQ(d.max_value(), 64.0);
    EXPECT_EQ(Distribution::empirical_from_csv(path, "runtime_s").max_value(), 7200.0);
}

TEST_F(DistributionCsv, BadFiles) {
    const auto bad = write("bad.csv", "job,gpus\n1,8\n2,abc\n");
    EXPECT_EQ(input_error([&] { Distribution::empirical_from_csv(bad, "gpus"); }),
              bad + ":3: column 'gpus': 'abc' is not a number");
    EXPECT_EQ(input_error([&] { Distribution::empirical_from_csv(bad, "gpu"); }),
              bad + ": no column 'gpu'; columns are 'job', 'gpus'; did you mean 'gpus'?");
    EXPECT_EQ(input_error([&] { Distribution::empirical_from_csv(bad, "nodes"); }),
              bad + ": no column 'nodes'; columns are 'job', 'gpus'");

    const auto empty_cell = write("empty_cell.csv", "job,gpus\n1,\n");
    EXPECT_EQ(input_error([&] { Distribution::empirical_from_csv(empty_cell, "gpus"); }),
              empty_cell + ":2: column 'gpus': '' is not a number");
    const auto short_row = write("short.csv", "job,gpus\n1\n");
    EXPECT_EQ(input_error([&] { Distribution::empirical_from_csv(short_row, "gpus"); }),
              short_row + ":2: expected 2 columns, found 1");
    const auto header_only = write("header.csv", "job,gpus\n");
    EXPECT_EQ(input_error([&] { Distribution::empirical_from_csv(header_only, "gpus"); }),
              header_only + ": no data rows after the header");
    const auto empty = write("empty.csv", "");
    EXPECT_EQ(input_error([&] { Distribution::empirical_from_csv(empty, "gpus"); }),
              empty + ": the file is empty; expected a header line");

    EXPECT_THROW(Distribution::empirical_from_csv((dir_.path() / "missing.csv").string(), "gpus"), IoError);
}

} // namespace
} // namespace capsim::workload
