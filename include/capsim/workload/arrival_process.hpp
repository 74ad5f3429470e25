#pragma once
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "capsim/util/random_stream.hpp"

namespace capsim::workload {

/// Seconds in a year of growth: 365.25 days, as the scenario unit 'y'.
constexpr double seconds_per_year = 365.25 * 86400.0;

/// N factors of 1: a cycle that changes nothing, the default of ArrivalSpec's cycles.
template <std::size_t N> constexpr std::array<double, N> flat_factors() {
    std::array<double, N> ones{};
    for (auto& one : ones) one = 1.0;
    return ones;
}

/// The rate of a tenant's job submissions over time.
///
/// lambda(t) = rate_per_s * (1 + growth_per_year)^((t - t0_s) / year) * daily[local hour] *
/// weekly[local weekday], local time being UTC + utc_offset_s and a year 365.25 days. The cycles are
/// step functions, normalised by ArrivalProcess to mean 1 so that rate_per_s is the average rate over
/// a week at t0_s. Example: 400/day with 35 %/year growth from t0 is 400 * 1.35 = 540/day a year
/// later and 400 * 1.35^2 = 729/day two years later, whatever the shape of the cycles.
struct ArrivalSpec {
    double rate_per_s = 0;                             // at t0
    double growth_per_year = 0;                        // 0.35 for 35 %/year, compounding; > -1
    double t0_s = 0;                                   // epoch s where rate_per_s holds (the scenario start)
    std::array<double, 24> daily = flat_factors<24>(); // factors by local hour, 00:00-01:00 first
    std::array<double, 7> weekly = flat_factors<7>();  // factors by local weekday, Monday first
    double utc_offset_s = 0;
};

/// The named daily cycles, normalised to mean 1 (std::invalid_argument for an unknown name, with
/// the names accepted and a suggestion):
///   "flat"            1 all day;
///   "afternoon-peak"  lowest at 05:00, rising through the morning to a plateau at 14:00-17:00 of 3.75
///                     times the minimum, then falling through the evening: the diurnal shape of job
///                     submissions on shared GPU clusters (a stylised shape, not fitted to one trace);
///   "office-hours"    09:00-18:00 three times the rest of the day.
std::array<double, 24> daily_cycle(std::string_view preset);
std::vector<std::string> daily_cycle_names();

/// The named weekly cycles, Monday first, normalised to mean 1: "flat", and "weekdays" (Saturday and
/// Sunday at half a weekday: 7/6 on weekdays, 7/12 at the weekend).
std::array<double, 7> weekly_cycle(std::string_view preset);
std::vector<std::string> weekly_cycle_names();

/// Arrival instants of a non-homogeneous Poisson process with the rate of an ArrivalSpec, drawn
/// exactly by thinning (Lewis and Shedler, 1979): candidates come at a constant bound rate over one
/// local day at a time, and each is kept with probability lambda(t) / bound. The bound is the
/// day's largest hourly factor times its weekday factor times the larger growth of the day's two
/// ends, so it always holds, yet it stays close to the day's rates, so few candidates are wasted.
/// A new day starts afresh with its own bound, which the Poisson process's lack of memory allows.
class ArrivalProcess {
  public:
    /// Normalises the cycles to mean 1. std::invalid_argument unless every number is finite,
    /// rate_per_s >= 0, growth_per_year > -1, and each cycle's factors are >= 0 and not all 0.
    explicit ArrivalProcess(ArrivalSpec spec);

    /// The spec with its cycles normalised.
    const ArrivalSpec& spec() const { return spec_; }

    double rate_at(double epoch_s) const;

    /// The first arrival strictly after `after_s`, or +infinity if none before `until_s`. Both must be
    /// finite (std::invalid_argument): with a declining rate, arrivals may stop for ever.
    double next_arrival(double after_s, double until_s, RandomStream& rng) const;

    /// Expected number of arrivals in [from_s, to_s) (integral of rate_at), for tests and reports:
    /// exact, summed hour by local hour (0 if to_s <= from_s).
    double expected_count(double from_s, double to_s) const;

  private:
    /// The growth factor (1 + g)^((t - t0) / year).
    double growth_at(double epoch_s) const;

    ArrivalSpec spec_;
    double log_growth_per_s_ = 0; // ln(1 + g) / year
    double daily_max_ = 0;
};

/// Parses "3/month", "400/day", "2/h", "10/week", "50/year", "0.5/min", "1/s" into a rate per second
/// (month = year / 12, year = 365.25 days; also "d", "w", "y" and "hour"; blanks around the parts
/// allowed). Throws std::invalid_argument, quoting the text and naming the accepted units, when it is
/// malformed or negative. Example: "400/day" is 400 / 86400 = 0.00463 per s.
double parse_rate_per_s(std::string_view text);

/// Parses "35%/year" or "0.35/year" (or ".../y") into 0.35 per year. Throws std::invalid_argument
/// when malformed or not above -100 %/year.
double parse_growth_per_year(std::string_view text);

} // namespace capsim::workload
