#pragma once
/// Statistics across Monte Carlo replications: for every output value (a time step of a series, a
/// summary metric), the mean, the sample standard deviation, a 95 % confidence interval of the mean
/// (Student t) and the p5/p10/p50/p90/p95 quantiles.

#include <Eigen/Core>

#include <array>
#include <cstddef>
#include <string_view>

namespace capsim::metrics {

/// The statistics, in the order of the rows replication_statistics() returns.
inline constexpr std::array<std::string_view, 9> statistic_names = {
    "mean", "std", "ci95_low", "ci95_high", "p5", "p10", "p50", "p90", "p95"};

/// `samples` holds one replication per row and one output value per column. Returns a matrix of
/// statistic_names.size() rows (in that order) and one column per output value. NaN samples (a
/// value undefined in that replication, such as the mean wait of no jobs) are left out of their
/// column, and n below counts the samples that remain:
/// - n = 0: all nine statistics are NaN;
/// - n = 1: mean and quantiles are that sample; std and both CI bounds are NaN;
/// - n >= 2: std divides by n - 1; the CI is mean -/+ student_t_975(n - 1) * std / sqrt(n); the
///   quantiles are numpy.percentile's default (linear, Hyndman & Fan type 7), see percentile_sorted.
/// Infinite samples propagate through IEEE arithmetic (a mean of inf, a std of NaN).
/// The result is deterministic: it does not depend on threads (there are none) or on where the
/// samples lie in memory, and, but for the sign of a zero, not on the order of the replications.
Eigen::MatrixXd replication_statistics(const Eigen::Ref<const Eigen::MatrixXd>& samples);

/// The 0.975 quantile of Student's t distribution with `degrees_of_freedom` (>= 1): the factor of
/// the standard error in a two-sided 95 % confidence interval. Accurate to a relative 1e-13;
/// throws std::invalid_argument for 0 degrees of freedom.
double student_t_975(std::size_t degrees_of_freedom);

} // namespace capsim::metrics
