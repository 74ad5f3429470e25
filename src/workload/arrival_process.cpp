#include "capsim/workload/arrival_process.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "capsim/util/calendar.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::workload {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double hour_s = 3600.0;
constexpr double day_s = 86400.0;

/// `factors` scaled to mean 1. std::invalid_argument unless they are finite, >= 0 and not all 0.
template <std::size_t N> std::array<double, N> normalised(std::array<double, N> factors, const char* what) {
    for (const double f : factors) {
        if (!std::isfinite(f) || f < 0)
            throw std::invalid_argument(std::string(what) + " factors must be finite and >= 0, not " +
                                        format_number(f));
    }
    const double mean = std::accumulate(factors.begin(), factors.end(), 0.0) / static_cast<double>(N);
    if (!(mean > 0)) throw std::invalid_argument(std::string(what) + " factors are all 0");
    for (double& f : factors) f /= mean;
    return factors;
}

/// Where an instant falls in local time. Hours are counted from the local midnight starting
/// 1970-01-01, a Thursday, so the day and the weekday follow from the hour with no calendar.
struct LocalHour {
    std::int64_t hour;   // hours since that midnight (negative before it)
    std::size_t of_day;  // 0-23
    std::size_t weekday; // 0 Monday - 6 Sunday
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

LocalHour local_hour_at(std::int64_t hour) {
    const std::int64_t day = floor_div(hour, 24);
    return {hour, static_cast<std::size_t>(hour - day * 24),
            static_cast<std::size_t>(day + 3 - floor_div(day + 3, 7) * 7)};
}

LocalHour local_hour(double epoch_s, double utc_offset_s) {
    return local_hour_at(static_cast<std::int64_t>(std::floor((epoch_s + utc_offset_s) / hour_s)));
}

/// The UTC instant at which local hour number `hour` starts.
double hour_start_s(std::int64_t hour, double utc_offset_s) {
    return static_cast<double>(hour) * hour_s - utc_offset_s;
}

void require_finite(double value, const char* what) {
    if (!std::isfinite(value))
        throw std::invalid_argument(std::string("arrival process: ") + what + " must be finite");
}

struct UnitSeconds {
    const char* name;
    double seconds;
};

const std::vector<UnitSeconds>& rate_units() {
    // clang-format off
    static const std::vector<UnitSeconds> units = {
        {"s", 1.0}, {"min", 60.0}, {"h", hour_s}, {"hour", hour_s}, {"d", day_s}, {"day", day_s},
        {"w", 7 * day_s}, {"week", 7 * day_s}, {"month", seconds_per_year / 12}, {"y", seconds_per_year},
        {"year", seconds_per_year}};
    // clang-format on
    return units;
}

std::vector<std::string> names_of(const std::vector<UnitSeconds>& units) {
    std::vector<std::string> names;
    for (const auto& unit : units) names.emplace_back(unit.name);
    return names;
}

std::invalid_argument unknown_preset(const char* what, std::string_view preset,
                                     const std::vector<std::string>& names) {
    std::string message = "unknown " + std::string(what) + " '" + std::string(preset) + "'; expected " +
                          join_alternatives(names);
    if (auto near = nearest_name(preset, names)) message += "; did you mean '" + *near + "'?";
    return std::invalid_argument(message);
}

} // namespace

std::vector<std::string> daily_cycle_names() {
    return {"flat", "afternoon-peak", "office-hours"};
}

std::array<double, 24> daily_cycle(std::string_view preset) {
    if (preset == "flat") return flat_factors<24>();
    if (preset == "afternoon-peak") {
        // Relative submissions by local hour: a trough at 05:00, a plateau 14:00-17:00 at 3.75 times it.
        return normalised<24>({0.75, 0.65, 0.55, 0.50, 0.45, 0.40, 0.45, 0.55, 0.70, 0.90, 1.05, 1.20,
                               1.25, 1.35, 1.50, 1.50, 1.50, 1.45, 1.30, 1.15, 1.05, 0.95, 0.90, 0.80},
                              "daily cycle");
    }
    if (preset == "office-hours") {
        std::array<double, 24> factors{};
        for (std::size_t h = 0; h < 24; ++h) factors[h] = (h >= 9 && h < 18) ? 3.0 : 1.0;
        return normalised(factors, "daily cycle");
    }
    throw unknown_preset("daily cycle", preset, daily_cycle_names());
}

std::vector<std::string> weekly_cycle_names() {
    return {"flat", "weekdays"};
}

std::array<double, 7> weekly_cycle(std::string_view preset) {
    if (preset == "flat") return flat_factors<7>();
    if (preset == "weekdays") return normalised<7>({1, 1, 1, 1, 1, 0.5, 0.5}, "weekly cycle");
    throw unknown_preset("weekly cycle", preset, weekly_cycle_names());
}

ArrivalProcess::ArrivalProcess(ArrivalSpec spec) : spec_(spec) {
    require_finite(spec_.rate_per_s, "the rate");
    require_finite(spec_.growth_per_year, "the growth");
    require_finite(spec_.t0_s, "t0");
    require_finite(spec_.utc_offset_s, "the UTC offset");
    if (spec_.rate_per_s < 0)
        throw std::invalid_argument("arrival process: the rate cannot be negative (" +
                                    format_number(spec_.rate_per_s) + " per s)");
    if (!(spec_.growth_per_year > -1))
        throw std::invalid_argument("arrival process: the growth must be above -100 %/year, not " +
                                    format_number(spec_.growth_per_year));
    spec_.daily = normalised(spec_.daily, "daily cycle");
    spec_.weekly = normalised(spec_.weekly, "weekly cycle");
    log_growth_per_s_ = std::log1p(spec_.growth_per_year) / seconds_per_year;
    daily_max_ = *std::max_element(spec_.daily.begin(), spec_.daily.end());
}

double ArrivalProcess::growth_at(double epoch_s) const {
    return std::exp(log_growth_per_s_ * (epoch_s - spec_.t0_s));
}

double ArrivalProcess::rate_at(double epoch_s) const {
    const LocalHour local = local_hour(epoch_s, spec_.utc_offset_s);
    return spec_.rate_per_s * growth_at(epoch_s) * spec_.daily[local.of_day] * spec_.weekly[local.weekday];
}

double ArrivalProcess::next_arrival(double after_s, double until_s, RandomStream& rng) const {
    if (!std::isfinite(after_s) || !std::isfinite(until_s))
        throw std::invalid_argument("next_arrival: the times must be finite");
    if (spec_.rate_per_s == 0) return infinity;
    double t = after_s;
    while (t < until_s) {
        LocalHour local = local_hour(t, spec_.utc_offset_s);
        std::int64_t day = floor_div(local.hour, 24);
        double day_end_s = hour_start_s((day + 1) * 24, spec_.utc_offset_s);
        if (day_end_s <= t) {
            // Rounding put t at the end of the previous day: it is the start of the next one.
            local = local_hour_at((++day) * 24);
            day_end_s = hour_start_s((day + 1) * 24, spec_.utc_offset_s);
        }
        const double segment_end_s = std::min(day_end_s, until_s);
        const double bound = spec_.rate_per_s * daily_max_ * spec_.weekly[local.weekday] *
                             std::max(growth_at(t), growth_at(segment_end_s));
        if (!std::isfinite(bound)) {
            throw std::invalid_argument("next_arrival: the rate overflows by " +
                                        format_datetime(segment_end_s) +
                                        "; the growth is too fast for so long a horizon");
        }
        if (bound > 0) {
            const double candidate_s = t + rng.exponential(bound);
            if (candidate_s < segment_end_s) {
                t = candidate_s;
                if (rng.uniform() * bound < rate_at(t)) {
                    // A gap too small to change after_s must still give a later instant.
                    const double arrival_s = std::max(t, std::nextafter(after_s, infinity));
                    return arrival_s < until_s ? arrival_s : infinity;
                }
                continue;
            }
        }
        t = segment_end_s;
    }
    return infinity;
}

double ArrivalProcess::expected_count(double from_s, double to_s) const {
    if (!(to_s > from_s)) return 0;
    require_finite(from_s, "the start of the window");
    require_finite(to_s, "the end of the window");
    double sum = 0;
    double t = from_s;
    std::int64_t hour = local_hour(t, spec_.utc_offset_s).hour;
    while (t < to_s) {
        double end_s = hour_start_s(hour + 1, spec_.utc_offset_s);
        if (end_s <= t) end_s = hour_start_s(++hour + 1, spec_.utc_offset_s);
        end_s = std::min(end_s, to_s);
        const LocalHour local = local_hour_at(hour);
        // The integral of exp(k (s - t0)) over [t, end) is exp(k (t - t0)) expm1(k (end - t)) / k,
        // which tends to end - t as k goes to 0.
        const double k = log_growth_per_s_;
        const double width = k == 0 ? end_s - t : std::expm1(k * (end_s - t)) / k;
        sum +=
            spec_.rate_per_s * spec_.daily[local.of_day] * spec_.weekly[local.weekday] * growth_at(t) * width;
        t = end_s;
        ++hour;
    }
    return sum;
}

double parse_rate_per_s(std::string_view text) {
    const std::string quoted = "rate '" + std::string(text) + "'";
    const std::string expected =
        "expected a number per " + join_alternatives(names_of(rate_units())) + ", as in '400/day'";
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) throw std::invalid_argument(quoted + ": " + expected);
    const auto number = parse_finite_double(trim(text.substr(0, slash)));
    const std::string_view unit = trim(text.substr(slash + 1));
    if (!number) throw std::invalid_argument(quoted + ": not a number before '/'; " + expected);
    if (*number < 0) throw std::invalid_argument(quoted + ": a rate cannot be negative");
    for (const auto& candidate : rate_units()) {
        if (unit == candidate.name) return *number / candidate.seconds;
    }
    std::string message = quoted + ": unknown unit '" + std::string(unit) + "'; " + expected;
    if (auto near = nearest_name(unit, names_of(rate_units()))) message += "; did you mean '" + *near + "'?";
    throw std::invalid_argument(message);
}

double parse_growth_per_year(std::string_view text) {
    const std::string quoted = "growth '" + std::string(text) + "'";
    const std::string expected = "expected a growth per year such as '35%/year' or '0.35/year'";
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) throw std::invalid_argument(quoted + ": " + expected);
    const std::string_view unit = trim(text.substr(slash + 1));
    if (unit != "year" && unit != "y")
        throw std::invalid_argument(quoted + ": unknown unit '" + std::string(unit) + "'; " + expected);
    std::string_view number_text = trim(text.substr(0, slash));
    double scale = 1;
    if (number_text.ends_with('%')) {
        number_text = trim(number_text.substr(0, number_text.size() - 1));
        scale = 0.01;
    }
    const auto number = parse_finite_double(number_text);
    if (!number) throw std::invalid_argument(quoted + ": not a number; " + expected);
    const double growth = *number * scale;
    if (!(growth > -1)) throw std::invalid_argument(quoted + ": the growth must be above -100%/year");
    return growth;
}

} // namespace capsim::workload
