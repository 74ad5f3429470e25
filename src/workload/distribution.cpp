#include "capsim/workload/distribution.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "capsim/util/error.hpp"
#include "capsim/util/csv.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::workload {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

void require(bool ok, const std::string& message) {
    if (!ok) throw std::invalid_argument(message);
}

bool all_finite(const std::vector<double>& values) {
    return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}


} // namespace

Distribution Distribution::fixed(double value) {
    require(std::isfinite(value), "fixed distribution: the value must be finite");
    Distribution d(Kind::fixed);
    d.a_ = value;
    d.mean_ = d.min_value_ = d.max_value_ = value;
    return d;
}

Distribution Distribution::uniform(double low, double high) {
    require(std::isfinite(low) && std::isfinite(high) && low <= high,
            "uniform distribution: need finite bounds with low <= high, not [" + format_number(low) + ", " +
                format_number(high) + "]");
    Distribution d(Kind::uniform);
    d.a_ = low;
    d.b_ = high;
    d.mean_ = low + (high - low) / 2; // not (low + high) / 2, which can overflow
    d.min_value_ = low;
    d.max_value_ = high;
    return d;
}

Distribution Distribution::exponential(double mean) {
    require(std::isfinite(mean) && mean > 0,
            "exponential distribution: the mean must be positive, not " + format_number(mean));
    Distribution d(Kind::exponential);
    d.a_ = mean;
    d.mean_ = mean;
    d.min_value_ = 0;
    d.max_value_ = infinity;
    return d;
}

Distribution Distribution::lognormal_median(double median, double sigma) {
    require(std::isfinite(median) && median > 0,
            "lognormal distribution: the median must be positive, not " + format_number(median));
    require(std::isfinite(sigma) && sigma >= 0,
            "lognormal distribution: sigma must be >= 0, not " + format_number(sigma));
    Distribution d(Kind::lognormal);
    d.a_ = median;
    d.b_ = sigma;
    d.mean_ = median * std::exp(sigma * sigma / 2);
    d.min_value_ = sigma == 0 ? median : 0;
    d.max_value_ = sigma == 0 ? median : infinity;
    return d;
}

Distribution Distribution::lognormal_mean(double mean, double cv) {
    require(std::isfinite(mean) && mean > 0,
            "lognormal distribution: the mean must be positive, not " + format_number(mean));
    require(std::isfinite(cv) && cv >= 0,
            "lognormal distribution: cv must be >= 0, not " + format_number(cv));
    const double variance_factor = std::log1p(cv * cv); // ln(1 + cv^2) = sigma^2
    Distribution d = lognormal_median(mean / std::sqrt(1 + cv * cv), std::sqrt(variance_factor));
    d.by_mean_ = true;
    d.cv_ = cv;
    d.mean_ = mean; // as given, rather than recomputed with rounding
    return d;
}

Distribution Distribution::choice(std::vector<double> values, std::vector<double> weights) {
    require(!values.empty(), "choice distribution: no values given");
    require(values.size() == weights.size(), "choice distribution: " + std::to_string(values.size()) +
                                                 " values but " + std::to_string(weights.size()) +
                                                 " weights");
    require(all_finite(values), "choice distribution: values must be finite");
    require(all_finite(weights) &&
                std::all_of(weights.begin(), weights.end(), [](double w) { return w >= 0; }),
            "choice distribution: weights must be finite and >= 0");
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    require(total > 0, "choice distribution: the weights are all 0");
    require(std::isfinite(total), "choice distribution: the weights' sum overflows");

    Distribution d(Kind::choice);
    d.cumulative_.resize(weights.size());
    double running = 0;
    std::size_t last_positive = 0;
    bool first = true;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        running += weights[i];
        d.cumulative_[i] = running / total;
        d.mean_ += values[i] * (weights[i] / total);
        if (weights[i] > 0) {
            last_positive = i;
            d.min_value_ = first ? values[i] : std::min(d.min_value_, values[i]);
            d.max_value_ = first ? values[i] : std::max(d.max_value_, values[i]);
            first = false;
        }
    }
    // Rounding may leave the last sum a hair under 1; uniform() < 1, so exactly 1 from the last value
    // with weight on makes sure every draw lands on a value, and never on a trailing weight of 0.
    std::fill(d.cumulative_.begin() + static_cast<std::ptrdiff_t>(last_positive), d.cumulative_.end(), 1.0);
    d.values_ = std::move(values);
    return d;
}

Distribution Distribution::empirical(std::vector<double> values) {
    require(!values.empty(), "empirical distribution: no values given");
    require(all_finite(values), "empirical distribution: values must be finite");
    Distribution d(Kind::empirical);
    // The mean of the values as a running mean, which cannot overflow where a plain sum might.
    double mean = 0;
    for (std::size_t i = 0; i < values.size(); ++i) mean += (values[i] - mean) / static_cast<double>(i + 1);
    d.mean_ = mean;
    const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
    d.min_value_ = *lowest;
    d.max_value_ = *highest;
    d.values_ = std::move(values);
    return d;
}

Distribution Distribution::empirical_from_csv(const std::string& path, std::string_view column) {
    std::ifstream in(path);
    if (!in) throw IoError("cannot open '" + path + "': " + std::strerror(errno));
    std::string line;
    std::size_t line_number = 0;
    const std::vector<std::string> columns = read_csv_header(in, line_number, path);
    std::vector<double> values;
    if (!columns.empty()) {
        const auto found = std::find(columns.begin(), columns.end(), column);
        if (found == columns.end()) {
            std::string message =
                path + ": no column '" + std::string(column) + "'; columns are " + quoted_list(columns);
            if (auto near = nearest_name(column, columns)) message += "; did you mean '" + *near + "'?";
            throw InputError(message);
        }
        const auto index = static_cast<std::size_t>(found - columns.begin());
        while (std::getline(in, line)) {
            ++line_number;
            if (trim(line).empty()) continue;
            const std::string where = path + ":" + std::to_string(line_number);
            const auto fields = split_csv_line(line);
            if (fields.size() <= index) {
                throw InputError(where + ": expected " + std::to_string(columns.size()) + " columns, found " +
                                 std::to_string(fields.size()));
            }
            const auto value = parse_finite_double(fields[index]);
            if (!value) {
                throw InputError(where + ": column '" + std::string(column) + "': '" +
                                 std::string(fields[index]) + "' is not a number");
            }
            values.push_back(*value);
        }
    }
    if (in.bad()) throw IoError("cannot read '" + path + "': " + std::strerror(errno));
    if (values.empty()) throw InputError(path + ": no data rows after the header");
    return empirical(std::move(values));
}

double Distribution::sample(RandomStream& rng) const {
    switch (kind_) {
    case Kind::fixed: return a_;
    case Kind::uniform: return rng.uniform(a_, b_);
    // The mean times a unit exponential rather than a rate of 1 / mean: no rounding of the mean.
    case Kind::exponential: return a_ * rng.exponential(1.0);
    case Kind::lognormal: return a_ * std::exp(b_ * rng.normal());
    case Kind::choice: {
        const double u = rng.uniform();
        const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
        return values_[static_cast<std::size_t>(it - cumulative_.begin())];
    }
    case Kind::empirical: return values_[rng.index(values_.size())];
    }
    throw InternalError("distribution: unknown kind");
}

std::string Distribution::describe() const {
    switch (kind_) {
    case Kind::fixed: return "fixed(" + format_number(a_) + ")";
    case Kind::uniform: return "uniform(" + format_number(a_) + ", " + format_number(b_) + ")";
    case Kind::exponential: return "exponential(mean " + format_number(a_) + ")";
    case Kind::lognormal:
        if (by_mean_) return "lognormal(mean " + format_number(mean_) + ", cv " + format_number(cv_) + ")";
        return "lognormal(median " + format_number(a_) + ", sigma " + format_number(b_) + ")";
    case Kind::choice: {
        std::string out = "choice(";
        for (std::size_t i = 0; i < values_.size(); ++i) {
            const double p = cumulative_[i] - (i == 0 ? 0.0 : cumulative_[i - 1]);
            if (i > 0) out += ", ";
            out += format_number(values_[i]) + ": " + format_number(p);
        }
        return out + ")";
    }
    case Kind::empirical: return "empirical(" + std::to_string(values_.size()) + " values)";
    }
    throw InternalError("distribution: unknown kind");
}

} // namespace capsim::workload
