#include "capsim/metrics/replication_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <span>
#include <stdexcept>
#include <vector>

#include "capsim/metrics/percentile.hpp"

namespace capsim::metrics {
namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// Rows of the result, in the order of statistic_names.
enum StatisticRow : Eigen::Index { mean_row, std_row, ci95_low_row, ci95_high_row, first_quantile_row };
constexpr double quantile_percents[] = {5, 10, 50, 90, 95};
static_assert(first_quantile_row + std::size(quantile_percents) == statistic_names.size());

/// P(|T| <= t) for Student's t with `df` degrees of freedom, written through theta = atan(t / sqrt(df))
/// as the finite sums of Abramowitz & Stegun 26.7.3 (odd df) and 26.7.4 (even df). They are exact for
/// integer df, need no gamma function (glibc's lgamma is not thread-safe), and all their terms are
/// positive, so rounding stays near machine precision.
double t_central_probability(std::size_t df, double theta) {
    const double cos_theta = std::cos(theta);
    const double sin_theta = std::sin(theta);
    const double cos_squared = cos_theta * cos_theta;
    if (df % 2 == 1) {
        // (2/pi) (theta + sin cos (1 + 2/3 cos^2 + 2*4/(3*5) cos^4 + ... up to cos^(df-3)))
        double term = 1, sum = 0;
        for (std::size_t k = 1; k <= (df - 1) / 2; ++k) {
            sum += term;
            term *= cos_squared * static_cast<double>(2 * k) / static_cast<double>(2 * k + 1);
        }
        return 2 / std::numbers::pi * (theta + sin_theta * cos_theta * sum);
    }
    // sin (1 + 1/2 cos^2 + 1*3/(2*4) cos^4 + ... up to cos^(df-2))
    double term = 1, sum = 0;
    for (std::size_t k = 1; k <= df / 2; ++k) {
        sum += term;
        term *= cos_squared * static_cast<double>(2 * k - 1) / static_cast<double>(2 * k);
    }
    return sin_theta * sum;
}

/// Beyond this the finite sums (df / 2 terms per evaluation) give way to the asymptotic expansion,
/// whose first omitted term is below 1e-14 relative here.
constexpr std::size_t asymptotic_df_threshold = 1000;

/// The Cornish-Fisher expansion of the t quantile in powers of 1/df about the normal quantile
/// (Abramowitz & Stegun 26.7.5).
double t_975_asymptotic(std::size_t df) {
    constexpr double z = 1.959963984540054; // the standard normal 0.975 quantile
    const double z2 = z * z;
    const double g1 = z * (z2 + 1) / 4;
    const double g2 = z * ((5 * z2 + 16) * z2 + 3) / 96;
    const double g3 = z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / 384;
    const double g4 = z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / 92160;
    const double inv_df = 1 / static_cast<double>(df);
    return z + inv_df * (g1 + inv_df * (g2 + inv_df * (g3 + inv_df * g4)));
}

} // namespace

double student_t_975(std::size_t degrees_of_freedom) {
    if (degrees_of_freedom == 0)
        throw std::invalid_argument("student_t_975: degrees of freedom must be >= 1");
    if (degrees_of_freedom > asymptotic_df_threshold)
        return t_975_asymptotic(degrees_of_freedom);
    // Two-sided 95 %: P(|T| <= t) = 0.95. The probability rises monotonically with theta on
    // (0, pi/2), so bisect on theta until the bracket is two adjacent doubles; bisection rather than
    // Newton keeps the result independent of starting guesses and always converges.
    constexpr double central_probability = 0.95;
    double theta_low = 0, theta_high = std::numbers::pi / 2;
    for (int iteration = 0; iteration < 200; ++iteration) {
        const double theta_mid = 0.5 * (theta_low + theta_high);
        if (theta_mid <= theta_low || theta_mid >= theta_high)
            break;
        if (t_central_probability(degrees_of_freedom, theta_mid) < central_probability)
            theta_low = theta_mid;
        else
            theta_high = theta_mid;
    }
    const double theta = 0.5 * (theta_low + theta_high);
    return std::sqrt(static_cast<double>(degrees_of_freedom)) * std::tan(theta);
}

Eigen::MatrixXd replication_statistics(const Eigen::Ref<const Eigen::MatrixXd>& samples) {
    const Eigen::Index replications = samples.rows();
    const Eigen::Index values = samples.cols();
    Eigen::MatrixXd statistics(static_cast<Eigen::Index>(statistic_names.size()), values);

    // One buffer for all columns. Eigen allocates it aligned, and the sums below always start at its
    // beginning: Eigen's vectorized sum splits its work by the alignment of the first element, so
    // summing the caller's column in place could make the last bits depend on where it lies in memory.
    Eigen::VectorXd kept_samples(replications);
    // t quantiles by degrees of freedom, filled on first use: most columns share n = replications.
    std::vector<double> t_975_by_df(static_cast<std::size_t>(std::max<Eigen::Index>(replications, 1)),
                                    not_a_number);

    for (Eigen::Index column = 0; column < values; ++column) {
        const auto column_samples = samples.col(column);
        Eigen::Index count = 0;
        for (Eigen::Index row = 0; row < replications; ++row) {
            const double value = column_samples[row];
            kept_samples[count] = value; // branch-free: a NaN is not counted, so the next value overwrites it
            count += std::isnan(value) ? 0 : 1;
        }
        auto out = statistics.col(column);
        if (count == 0) {
            out.setConstant(not_a_number);
            continue;
        }
        // Sorting before summing makes the result independent of the order of the replications too
        // (up to the order of -0 and +0, which compare equal).
        std::sort(kept_samples.data(), kept_samples.data() + count);
        const auto kept = kept_samples.head(count);
        const double n = static_cast<double>(count);
        const double mean = kept.sum() / n;
        out[mean_row] = mean;
        if (count >= 2) {
            // Two-pass variance: no cancellation when the mean is large against the spread.
            const double std_dev = std::sqrt((kept.array() - mean).square().sum() / (n - 1));
            const auto df = static_cast<std::size_t>(count - 1);
            if (std::isnan(t_975_by_df[df]))
                t_975_by_df[df] = student_t_975(df);
            const double half_width = t_975_by_df[df] * std_dev / std::sqrt(n);
            out[std_row] = std_dev;
            out[ci95_low_row] = mean - half_width;
            out[ci95_high_row] = mean + half_width;
        } else {
            out[std_row] = out[ci95_low_row] = out[ci95_high_row] = not_a_number;
        }
        const std::span<const double> sorted(kept_samples.data(), static_cast<std::size_t>(count));
        for (std::size_t q = 0; q < std::size(quantile_percents); ++q)
            out[first_quantile_row + static_cast<Eigen::Index>(q)] =
                percentile_sorted(sorted, quantile_percents[q]);
    }
    return statistics;
}

} // namespace capsim::metrics
