#include "capsim/workload/node_failures.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "capsim/util/error.hpp"

namespace capsim::workload {
namespace {

constexpr double day_s = 86400;

std::vector<FailureNode> nodes_of_type(std::size_t count, const std::string& type = "hgx-h100", std::size_t site = 0,
                                       double retired_s = std::numeric_limits<double>::infinity()) {
    return std::vector<FailureNode>(count, FailureNode{site, type, 0, retired_s});
}

FailureSpec random_process(double rate_per_day, double shape = 1) {
    FailureSpec spec;
    spec.rate_per_s = rate_per_day / day_s;
    spec.weibull_shape = shape;
    spec.repair_s = Distribution::fixed(0);
    spec.stream = 77;
    return spec;
}

/// The gaps between one node's failures, with instant repairs.
std::vector<double> gaps(NodeFailures& failures, std::uint32_t node, std::size_t count) {
    std::vector<double> out;
    double t = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const double next = failures.next_failure_s(0, node, t);
        out.push_back(next - t);
        t = next;
    }
    return out;
}

// 2,048 nodes at 6.5 per 1,000 node-days fail together at 2048 x 0.0065 = 13.3 a day: one every 1.80 h.
TEST(NodeFailures, IndependentNodesFailAtTheSumOfTheirRates) {
    NodeFailures failures({random_process(0.0065)}, nodes_of_type(2048), StreamId{5, 0, 0, 0});
    const double horizon_s = 100 * day_s;
    double count = 0;
    for (std::uint32_t n = 0; n < 2048; ++n) {
        for (double t = failures.next_failure_s(0, n, 0); t < horizon_s; t = failures.next_failure_s(0, n, t)) ++count;
    }
    const double expected = 2048 * 0.0065 * 100;
    EXPECT_NEAR(count, expected, 4 * std::sqrt(expected));
    EXPECT_NEAR(horizon_s / count / 3600, 1.80, 1.80 * 4 / std::sqrt(expected)); // the mean interval, hours
}

// A Weibull of shape k with the mean asked: its CDF is 1 - exp(-(t / scale)^k), scale = mean / Gamma(1 + 1/k).
TEST(NodeFailures, WeibullGapsHaveTheShapeAndMeanAsked) {
    for (const double k : {0.7, 1.0, 2.5}) {
        NodeFailures failures({random_process(0.01, k)}, nodes_of_type(1), StreamId{9, 0, 0, 0});
        std::vector<double> g = gaps(failures, 0, 20000);
        const auto n = static_cast<double>(g.size());
        const double mean_s = day_s / 0.01;
        double sum = 0;
        for (const double x : g) sum += x;
        const double cv = std::sqrt(std::tgamma(1 + 2 / k) / std::pow(std::tgamma(1 + 1 / k), 2) - 1);
        EXPECT_NEAR(sum / n / mean_s, 1, 4 * cv / std::sqrt(20000.0)) << "shape " << k;
        // Kolmogorov-Smirnov: sup |F_n - F| below the 0.1 % critical value 1.95 / sqrt(n).
        std::sort(g.begin(), g.end());
        const double scale_s = mean_s / std::tgamma(1 + 1 / k);
        double d = 0;
        for (std::size_t i = 0; i < g.size(); ++i) {
            const double f = 1 - std::exp(-std::pow(g[i] / scale_s, k));
            d = std::max({d, std::abs(f - static_cast<double>(i) / n), std::abs(f - static_cast<double>(i + 1) / n)});
        }
        EXPECT_LT(d, 1.95 / std::sqrt(20000.0)) << "shape " << k;
    }
}

TEST(NodeFailures, BadNodesAreTheFractionAskedAndFailTheFactorMoreOften) {
    FailureSpec spec = random_process(0.01);
    spec.bad_fraction = 0.1;
    spec.bad_factor = 20;
    NodeFailures failures({spec}, nodes_of_type(5000), StreamId{3, 0, 0, 0});
    double bad = 0, bad_gaps = 0, good_gaps = 0;
    int bad_count = 0, good_count = 0;
    for (std::uint32_t n = 0; n < 5000; ++n) {
        const double gap = failures.next_failure_s(0, n, 0);
        if (failures.is_bad(0, n)) {
            ++bad;
            bad_gaps += gap;
            ++bad_count;
        } else {
            good_gaps += gap;
            ++good_count;
        }
    }
    EXPECT_NEAR(bad / 5000, 0.1, 4 * std::sqrt(0.1 * 0.9 / 5000));
    EXPECT_NEAR(bad_gaps / bad_count, day_s / 0.2, 5 * (day_s / 0.2) / std::sqrt(bad_count));
    EXPECT_NEAR(good_gaps / good_count, day_s / 0.01, 5 * (day_s / 0.01) / std::sqrt(good_count));
    // The mean rate counts a bad node at its share: 0.01 x (0.9 + 0.1 x 20) = 0.029 a day.
    EXPECT_NEAR(failures.mean_rate_per_s(0, "hgx-h100") * day_s, 0.029, 1e-12);
}

TEST(NodeFailures, ANodeFailsOnlyWhileInServiceAndOnlyWhereTheProcessApplies) {
    std::vector<FailureNode> nodes = {{0, "hgx-h100", 10 * day_s, 20 * day_s}, {1, "hgx-h100", 0, 1e12},
                                      {0, "hgx-b200", 0, 1e12}};
    FailureSpec spec = random_process(10); // a failure every 2.4 h on average
    spec.sites = {0};
    spec.node_types = {"hgx-h100"};
    NodeFailures failures({spec}, nodes, StreamId{1, 0, 0, 0});
    EXPECT_TRUE(failures.applies(0, 0));
    EXPECT_FALSE(failures.applies(0, 1)); // other site
    EXPECT_FALSE(failures.applies(0, 2)); // other type
    EXPECT_EQ(failures.nodes_of(0), std::vector<std::uint32_t>{0});
    EXPECT_THROW(failures.next_failure_s(0, 1, 0), InternalError);
    double t = failures.next_failure_s(0, 0, 0);
    EXPECT_GE(t, 10 * day_s); // not before it enters service
    while (std::isfinite(t)) {
        EXPECT_LT(t, 20 * day_s); // nor after it retires
        t = failures.next_failure_s(0, 0, t);
    }
    EXPECT_EQ(failures.mean_rate_per_s(1, "hgx-h100"), 0);
    EXPECT_NEAR(failures.mean_rate_per_s(0, "hgx-h100") * day_s, 10, 1e-12);
}

TEST(NodeFailures, EachNodeDrawsFromItsOwnStream) {
    const StreamId replication{42, 0, 3, 0};
    NodeFailures one({random_process(0.5)}, nodes_of_type(4), replication);
    NodeFailures again({random_process(0.5)}, nodes_of_type(4), replication);
    FailureSpec other = random_process(0.5);
    other.stream = 78;
    NodeFailures two({random_process(0.5), other}, nodes_of_type(4), replication);
    // Node 2's failures do not depend on whether node 0 drew first, nor on another process.
    for (int i = 0; i < 5; ++i) one.next_failure_s(0, 0, 0);
    const std::vector<double> a = gaps(one, 2, 10), b = gaps(again, 2, 10), c = gaps(two, 2, 10);
    EXPECT_EQ(a, b);
    EXPECT_EQ(a, c);
    EXPECT_NE(gaps(again, 3, 10), b); // nodes differ
    NodeFailures next_replication({random_process(0.5)}, nodes_of_type(4), StreamId{42, 0, 4, 0});
    EXPECT_NE(gaps(next_replication, 2, 10), a);
}

TEST(NodeFailures, TraceRowsNameTheNodeByItsIndexAmongTheSitesNodesOfItsType) {
    // Cluster order: two H100 at site 0, one B200 at site 0, two H100 at site 1, one more H100 at site 0.
    std::vector<FailureNode> nodes = {{0, "hgx-h100", 0, 1e12}, {0, "hgx-h100", 0, 1e12}, {0, "hgx-b200", 0, 1e12},
                                      {1, "hgx-h100", 0, 1e12}, {1, "hgx-h100", 0, 1e12}, {0, "hgx-h100", 0, 1e12}};
    FailureSpec trace;
    trace.trace = {{100, 0, "hgx-h100", 2, 300}, {200, 1, "hgx-h100", 1, 60}, {300, 0, "hgx-b200", 0, 5}};
    NodeFailures failures({trace}, nodes, StreamId{});
    ASSERT_TRUE(failures.from_trace(0));
    const auto& rows = failures.outages(0);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].node, 5u); // the third H100 of site 0 came with a later order
    EXPECT_EQ(rows[1].node, 4u);
    EXPECT_EQ(rows[2].node, 2u);
    EXPECT_EQ(rows[0].duration_s, 300);
    FailureSpec beyond;
    beyond.trace = {{100, 0, "hgx-b200", 1, 300}};
    EXPECT_THROW(NodeFailures({beyond}, nodes, StreamId{}), InputError);
}

} // namespace
} // namespace capsim::workload
