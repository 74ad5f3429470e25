#include "capsim/util/random_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <concepts>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

namespace capsim {
namespace {

static_assert(std::uniform_random_bit_generator<RandomStream>);

constexpr int draws = 1'000'000;

/// Mean and variance of `n` values from `draw`.
template <class F> std::pair<double, double> moments(int n, F&& draw) {
    double sum = 0;
    double sum_sq = 0;
    for (int i = 0; i < n; ++i) {
        const double x = draw();
        sum += x;
        sum_sq += x * x;
    }
    const double mean = sum / n;
    return {mean, sum_sq / n - mean * mean};
}

TEST(RandomStream, PhiloxKnownAnswers) {
    // Random123's kat_vectors for philox4x32_10.
    EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}),
              (PhiloxCounter{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
    EXPECT_EQ(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
              (PhiloxCounter{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
    EXPECT_EQ(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
              (PhiloxCounter{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(RandomStream, WordsComeFromPhiloxBlocksInCounterOrder) {
    const StreamId id{7, 1, 2, 3};
    const PhiloxKey key = stream_key(id);
    RandomStream rng(id);
    for (std::uint32_t block = 0; block < 3; ++block) {
        const PhiloxCounter words = philox4x32_10({block, 0, 0, 0}, key);
        EXPECT_EQ(rng.next_u64(), (std::uint64_t{words[1]} << 32) | words[0]);
        EXPECT_EQ(rng.next_u64(), (std::uint64_t{words[3]} << 32) | words[2]);
    }
}

TEST(RandomStream, SameIdSameSequence) {
    RandomStream a({42, 3, 17, 1});
    RandomStream b({42, 3, 17, 1});
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next_u64(), b.next_u64());
    // A copy continues the same sequence on its own, the normal's spare value included.
    EXPECT_EQ(a.normal(), b.normal());
    RandomStream c = a;
    EXPECT_EQ(a.normal(), c.normal());
    EXPECT_EQ(a.uniform(), c.uniform());
}

TEST(RandomStream, EachFieldChangesTheSequence) {
    const StreamId base{42, 3, 17, 1};
    std::vector<StreamId> ids{base, base, base, base, base};
    ids[1].seed = 43;
    ids[2].point = 4;
    ids[3].replication = 18;
    ids[4].stream = 2;
    std::vector<std::vector<std::uint64_t>> sequences;
    for (const auto& id : ids) {
        RandomStream rng(id);
        std::vector<std::uint64_t> words(4);
        for (auto& w : words) w = rng.next_u64();
        sequences.push_back(words);
    }
    for (std::size_t i = 0; i < sequences.size(); ++i) {
        for (std::size_t j = i + 1; j < sequences.size(); ++j) {
            for (std::size_t k = 0; k < 4; ++k) EXPECT_NE(sequences[i][k], sequences[j][k]) << i << " " << j;
        }
    }
    // Swapping two fields' values is another stream too: the key is not symmetric in the fields.
    EXPECT_NE(stream_key({1, 2, 0, 0}), stream_key({2, 1, 0, 0}));
    EXPECT_NE(stream_key({0, 0, 0, 1}), stream_key({0, 0, 1, 0}));
}

TEST(RandomStream, OpenUnitIntervalNeverReachesItsEnds) {
    EXPECT_EQ(open_unit_interval(0), 0x1.0p-53);
    EXPECT_EQ(open_unit_interval(~std::uint64_t{0}), 1.0 - 0x1.0p-53);
    EXPECT_LT(open_unit_interval(~std::uint64_t{0}), 1.0);
    EXPECT_EQ(open_unit_interval(std::uint64_t{1} << 63), 0.5 + 0x1.0p-53);
}

TEST(RandomStream, UniformMeanAndVariance) {
    RandomStream rng({1, 0, 0, 0});
    double lowest = 1;
    double highest = 0;
    const auto [mean, variance] = moments(draws, [&] {
        const double u = rng.uniform();
        lowest = std::min(lowest, u);
        highest = std::max(highest, u);
        return u;
    });
    EXPECT_GT(lowest, 0.0);
    EXPECT_LT(highest, 1.0);
    // Var(U) = 1/12; Var((U - 1/2)^2) = 1/80 - 1/144 = 1/180.
    EXPECT_NEAR(mean, 0.5, 5 * std::sqrt(1.0 / 12 / draws));
    EXPECT_NEAR(variance, 1.0 / 12, 5 * std::sqrt(1.0 / 180 / draws));

    const auto [mean_ab, variance_ab] = moments(draws, [&] { return rng.uniform(-2.0, 6.0); });
    EXPECT_NEAR(mean_ab, 2.0, 5 * std::sqrt(64.0 / 12 / draws));
    EXPECT_NEAR(variance_ab, 64.0 / 12, 5 * 64 * std::sqrt(1.0 / 180 / draws));
    EXPECT_EQ(rng.uniform(3.0, 3.0), 3.0);
    EXPECT_THROW(rng.uniform(2.0, 1.0), std::invalid_argument);
    EXPECT_THROW(rng.uniform(0.0, std::nan("")), std::invalid_argument);
}

TEST(RandomStream, ExponentialMean) {
    RandomStream rng({2, 0, 0, 0});
    const double rate = 4.0;
    const auto [mean, variance] = moments(draws, [&] { return rng.exponential(rate); });
    EXPECT_NEAR(mean, 1 / rate, 5 * (1 / rate) / std::sqrt(draws));
    // The fourth central moment is 9 / rate^4, so the sample variance's variance is 8 / (rate^4 n).
    EXPECT_NEAR(variance, 1 / (rate * rate), 5 * std::sqrt(8.0 / draws) / (rate * rate));
    EXPECT_THROW(rng.exponential(0), std::invalid_argument);
    EXPECT_THROW(rng.exponential(-1), std::invalid_argument);
}

TEST(RandomStream, NormalMeanAndVariance) {
    RandomStream rng({3, 0, 0, 0});
    double within_one = 0;
    const auto [mean, variance] = moments(draws, [&] {
        const double z = rng.normal();
        if (std::abs(z) < 1) ++within_one;
        return z;
    });
    EXPECT_NEAR(mean, 0.0, 5 / std::sqrt(draws));
    EXPECT_NEAR(variance, 1.0, 5 * std::sqrt(2.0 / draws));
    // P(|Z| < 1) = 0.682689: a shape check that mean and variance alone would miss.
    const double p = 0.682689492;
    EXPECT_NEAR(within_one / draws, p, 5 * std::sqrt(p * (1 - p) / draws));
}

TEST(RandomStream, IndexIsUnbiased) {
    RandomStream rng({4, 0, 0, 0});
    for (const std::size_t n : {2u, 3u, 5u, 7u, 10u}) {
        std::vector<double> counts(n, 0);
        const int per_draws = 200'000;
        for (int i = 0; i < per_draws; ++i) {
            const std::size_t k = rng.index(n);
            ASSERT_LT(k, n);
            ++counts[k];
        }
        const double expected = static_cast<double>(per_draws) / static_cast<double>(n);
        double chi_square = 0;
        for (const double c : counts) chi_square += (c - expected) * (c - expected) / expected;
        // The 99.99th percentile of chi-square with 9 degrees of freedom is 33.7; fewer df, lower.
        EXPECT_LT(chi_square, 34.0) << "n = " << n;
    }
    EXPECT_EQ(rng.index(1), 0u);
    // Just over half the range: half the draws are rejected, and every result is in range.
    const std::size_t big = (std::size_t{1} << 63) + 1;
    for (int i = 0; i < 1000; ++i) ASSERT_LT(rng.index(big), big);
    EXPECT_THROW(rng.index(0), std::invalid_argument);
}

TEST(RandomStream, WorksWithStandardAlgorithms) {
    std::vector<int> a(20);
    std::iota(a.begin(), a.end(), 0);
    std::vector<int> b = a;
    RandomStream r1({5, 0, 0, 0});
    RandomStream r2({5, 0, 0, 0});
    std::shuffle(a.begin(), a.end(), r1);
    std::shuffle(b.begin(), b.end(), r2);
    EXPECT_EQ(a, b);
    std::vector<int> sorted = a;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int> identity(20);
    std::iota(identity.begin(), identity.end(), 0);
    EXPECT_EQ(sorted, identity);
    EXPECT_NE(a, identity);
}

} // namespace
} // namespace capsim
