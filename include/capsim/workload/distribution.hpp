#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "capsim/util/random_stream.hpp"

namespace capsim::workload {

/// A random quantity of a workload (a job's size, its duration, its work): fixed, uniform,
/// exponential, lognormal, a weighted choice among values, or an empirical list of observed values.
/// Parameters must be finite; the factories throw std::invalid_argument for any out of range.
///
/// A lognormal is given by its median m and log-space sigma s (ln X ~ N(ln m, s^2)), or by its mean
/// and coefficient of variation cv, converted as m = mean / sqrt(1 + cv^2), s = sqrt(ln(1 + cv^2)).
/// Example: mean 10 and cv 1 give median 10 / sqrt(2) = 7.07 and sigma sqrt(ln 2) = 0.833; the mean
/// is m * exp(s^2 / 2) = 7.07 * sqrt(2) = 10 again.
class Distribution {
  public:
    static Distribution fixed(double value);
    /// Uniform on [low, high]; high >= low.
    static Distribution uniform(double low, double high);
    /// Exponential with the given mean (> 0).
    static Distribution exponential(double mean);
    /// Lognormal with the given median (> 0) and log-space sigma (>= 0).
    static Distribution lognormal_median(double median, double sigma);
    /// Lognormal with the given mean (> 0) and coefficient of variation (>= 0); see the class comment.
    static Distribution lognormal_mean(double mean, double cv);
    /// One of `values`, each with probability its weight over their sum: as many weights as values
    /// (at least one), each >= 0, not all 0. Example: values {8, 64}, weights {3, 1} give 8 three
    /// times in four, mean 22.
    static Distribution choice(std::vector<double> values, std::vector<double> weights);
    /// One of `values` (at least one), each equally likely: resampling what was observed.
    static Distribution empirical(std::vector<double> values);
    /// An empirical distribution of the numbers in column `column` of a CSV file with a header
    /// line (blank lines skipped). Throws IoError if the file cannot be read, InputError naming
    /// the file and line for a cell that is not a number, a missing column (with a suggestion for a
    /// near name) or a file without data rows.
    static Distribution empirical_from_csv(const std::string& path, std::string_view column);

    double sample(RandomStream& rng) const;

    /// The exact mean (for empirical, the mean of the values).
    double mean() const { return mean_; }

    /// Bounds of the support, for validation (a size must be at least 1): exponential and lognormal
    /// run from 0 to +infinity, except a lognormal with sigma 0, which is its median.
    double min_value() const { return min_value_; }
    double max_value() const { return max_value_; }

    /// As written in messages and docs: "fixed(4)", "uniform(1, 8)", "exponential(mean 3600)",
    /// "lognormal(median 3e+23, sigma 1)", "lognormal(mean 10, cv 0.5)", "choice(8: 0.75, 64:
    /// 0.25)" (weights normalised), "empirical(120 values)".
    std::string describe() const;

    /// The values of a choice or an empirical distribution, in the order given (empty otherwise).
    const std::vector<double>& values() const { return values_; }

  private:
    enum class Kind { fixed, uniform, exponential, lognormal, choice, empirical };

    explicit Distribution(Kind kind) : kind_(kind) {}

    Kind kind_;
    // fixed: a = value; uniform: [a, b]; exponential: a = mean; lognormal: a = median, b = sigma.
    double a_ = 0;
    double b_ = 0;
    bool by_mean_ = false; // lognormal given as (mean, cv): describe() repeats what was given
    double cv_ = 0;
    std::vector<double> values_;     // choice and empirical
    std::vector<double> cumulative_; // choice: running sums of the normalised weights, last = 1
    double mean_ = 0;
    double min_value_ = 0;
    double max_value_ = 0;
};

} // namespace capsim::workload
