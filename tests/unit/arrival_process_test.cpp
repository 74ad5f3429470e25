#include "capsim/workload/arrival_process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "capsim/util/calendar.hpp"

namespace capsim::workload {
namespace {

constexpr double hour_s = 3600.0;
constexpr double day_s = 86400.0;
constexpr double never = std::numeric_limits<double>::infinity();

double at(const char* text) {
    const auto t = parse_datetime(text);
    EXPECT_TRUE(t.has_value()) << text;
    return t.value_or(std::nan(""));
}

/// Every arrival in (from_s, until_s), each drawn after the previous one.
std::vector<double> arrivals(const ArrivalProcess& process, double from_s, double until_s,
                             std::uint64_t seed) {
    RandomStream rng({seed, 0, 0, 0});
    std::vector<double> out;
    double t = from_s;
    while (true) {
        const double next = process.next_arrival(t, until_s, rng);
        if (next == never) return out;
        EXPECT_GT(next, t);
        EXPECT_LT(next, until_s);
        out.push_back(next);
        t = next;
    }
}

std::size_t count_in(const std::vector<double>& times, double from_s, double to_s) {
    return static_cast<std::size_t>(
        std::count_if(times.begin(), times.end(), [&](double t) { return t >= from_s && t < to_s; }));
}

/// The error message of the std::invalid_argument that `f` throws.
template <class F> std::string invalid_argument_message(F&& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    ADD_FAILURE() << "no std::invalid_argument";
    return "";
}

TEST(ArrivalProcess, ConstantRateCountIsPoisson) {
    ArrivalSpec spec;
    spec.rate_per_s = 0.01;
    spec.t0_s = at("2026-01-01");
    const ArrivalProcess process(spec);
    const double window_s = 1e6;
    EXPECT_EQ(process.rate_at(spec.t0_s + 12345), 0.01);
    EXPECT_NEAR(process.expected_count(spec.t0_s, spec.t0_s + window_s), 1e4, 1e-6);
    const auto times = arrivals(process, spec.t0_s, spec.t0_s + window_s, 1);
    // Poisson: variance = mean = 1e4, so 4 sigma is 400.
    EXPECT_NEAR(static_cast<double>(times.size()), 1e4, 4 * std::sqrt(1e4));
}

TEST(ArrivalProcess, GrowthCompounds) {
    ArrivalSpec spec;
    spec.rate_per_s = parse_rate_per_s("200/day");
    spec.growth_per_year = parse_growth_per_year("35%/year");
    spec.t0_s = at("2026-01-01");
    const ArrivalProcess process(spec);
    const double year_s = seconds_per_year;
    const double t0 = spec.t0_s;
    EXPECT_NEAR(process.rate_at(t0 + year_s), spec.rate_per_s * 1.35, 1e-15);
    EXPECT_NEAR(process.rate_at(t0 + 2 * year_s), spec.rate_per_s * 1.35 * 1.35, 1e-15);
    EXPECT_NEAR(process.rate_at(t0 - year_s), spec.rate_per_s / 1.35, 1e-15);

    // The integral of r (1 + g)^(t / Y) over the first year is r Y g / ln(1 + g).
    const double first_year = spec.rate_per_s * year_s * 0.35 / std::log(1.35);
    EXPECT_NEAR(process.expected_count(t0, t0 + year_s), first_year, 1e-9 * first_year);
    EXPECT_NEAR(process.expected_count(t0 + 2 * year_s, t0 + 3 * year_s), first_year * 1.35 * 1.35,
                1e-9 * first_year);
    // Splitting the window anywhere changes nothing.
    EXPECT_NEAR(process.expected_count(t0, t0 + 1234.5) + process.expected_count(t0 + 1234.5, t0 + year_s),
                first_year, 1e-9 * first_year);
    EXPECT_EQ(process.expected_count(t0 + 10, t0), 0.0);

    const auto times = arrivals(process, t0, t0 + 3 * year_s, 2);
    const double n1 = static_cast<double>(count_in(times, t0, t0 + year_s));
    const double n3 = static_cast<double>(count_in(times, t0 + 2 * year_s, t0 + 3 * year_s));
    EXPECT_NEAR(n1, first_year, 4 * std::sqrt(first_year));
    const double ratio = n3 / n1;
    // The ratio of two independent Poisson counts has relative sd sqrt(1/n1 + 1/n3).
    EXPECT_NEAR(ratio, 1.35 * 1.35, 4 * ratio * std::sqrt(1 / n1 + 1 / n3));
}

TEST(ArrivalProcess, DailyCycleFollowsLocalHours) {
    ArrivalSpec spec;
    spec.rate_per_s = 1.0 / 60;
    spec.daily = daily_cycle("afternoon-peak");
    spec.utc_offset_s = 5.5 * hour_s; // a half-hour offset: local hours are not UTC hours
    spec.t0_s = start_of_local_day(at("2026-03-01"), spec.utc_offset_s);
    const ArrivalProcess process(spec);
    const double days = 300;
    const auto times = arrivals(process, spec.t0_s, spec.t0_s + days * day_s, 3);

    std::vector<double> local(24, 0);
    std::vector<double> utc(24, 0);
    for (const double t : times) {
        ++local[static_cast<std::size_t>(local_hour_of_day(t, spec.utc_offset_s))];
        ++utc[static_cast<std::size_t>(local_hour_of_day(t, 0))];
    }
    double chi_local = 0;
    double chi_utc = 0;
    for (std::size_t h = 0; h < 24; ++h) {
        const double expected = spec.rate_per_s * hour_s * days * process.spec().daily[h];
        chi_local += (local[h] - expected) * (local[h] - expected) / expected;
        chi_utc += (utc[h] - expected) * (utc[h] - expected) / expected;
    }
    // The 99.99th percentile of chi-square with 23 degrees of freedom is about 55.
    EXPECT_LT(chi_local, 55.0);
    // Binned by UTC hour the counts are the same shape shifted by 5.5 h: nothing like the factors.
    EXPECT_GT(chi_utc, 1000.0);

    // Local 15:00 is on the plateau, local 05:00 the trough: 3.75 times apart.
    const double day0 = spec.t0_s + 10 * day_s;
    EXPECT_NEAR(process.rate_at(day0 + 15.5 * hour_s) / process.rate_at(day0 + 5.5 * hour_s), 3.75, 1e-12);
}

TEST(ArrivalProcess, WeekendsAtHalfAWeekday) {
    ArrivalSpec spec;
    spec.rate_per_s = 0.01;
    spec.weekly = weekly_cycle("weekdays");
    spec.utc_offset_s = -5 * hour_s;
    spec.t0_s = start_of_local_day(at("2026-01-05 12:00"), spec.utc_offset_s); // a Monday
    const ArrivalProcess process(spec);
    const double weeks = 100;
    const auto times = arrivals(process, spec.t0_s, spec.t0_s + weeks * 7 * day_s, 4);

    // The local weekday from the calendar, Monday 0: 2026-01-05 was a Monday.
    const std::int64_t monday = days_from_civil(2026, 1, 5);
    std::vector<double> by_weekday(7, 0);
    for (const double t : times) {
        const CivilTime c = civil_from_epoch(t + spec.utc_offset_s);
        const std::int64_t days = days_from_civil(c.year, c.month, c.day) - monday;
        ++by_weekday[static_cast<std::size_t>(((days % 7) + 7) % 7)];
    }
    const double weekday = std::accumulate(by_weekday.begin(), by_weekday.begin() + 5, 0.0);
    const double weekend = by_weekday[5] + by_weekday[6];
    const double ratio = (weekend / 2) / (weekday / 5);
    EXPECT_NEAR(ratio, 0.5, 4 * ratio * std::sqrt(1 / weekday + 1 / weekend));
    // The mean rate over a week is still rate_per_s: the cycle is normalised to mean 1.
    EXPECT_NEAR(weekday + weekend, spec.rate_per_s * weeks * 7 * day_s,
                4 * std::sqrt(spec.rate_per_s * weeks * 7 * day_s));
    // Saturday local 00:30 is a weekend rate, Friday local 23:30 a weekday one.
    const double saturday = spec.t0_s + 5 * day_s;
    EXPECT_NEAR(process.rate_at(saturday + 0.5 * hour_s), 0.01 * 7 / 12, 1e-15);
    EXPECT_NEAR(process.rate_at(saturday - 0.5 * hour_s), 0.01 * 7 / 6, 1e-15);
}

TEST(ArrivalProcess, EverythingTogetherMatchesExpectedCount) {
    ArrivalSpec spec;
    spec.rate_per_s = parse_rate_per_s("50/day");
    spec.growth_per_year = 0.35;
    spec.daily = daily_cycle("office-hours");
    spec.weekly = weekly_cycle("weekdays");
    spec.utc_offset_s = hour_s;
    spec.t0_s = at("2026-01-01");
    const ArrivalProcess process(spec);

    // Over whole local weeks without growth, the cycles average to 1.
    ArrivalSpec flat_growth = spec;
    flat_growth.growth_per_year = 0;
    const double week_start = start_of_local_day(at("2026-01-05 12:00"), spec.utc_offset_s);
    EXPECT_NEAR(ArrivalProcess(flat_growth).expected_count(week_start, week_start + 7 * day_s), 350.0, 1e-9);
    EXPECT_NEAR(ArrivalProcess(flat_growth).expected_count(week_start + 9 * hour_s, week_start + 18 * hour_s),
                spec.rate_per_s * 9 * hour_s * process.spec().daily[9] * process.spec().weekly[0], 1e-9);

    const double from_s = spec.t0_s + 1234;
    const double to_s = from_s + 2 * seconds_per_year;
    const double expected = process.expected_count(from_s, to_s);
    const auto times = arrivals(process, from_s, to_s, 5);
    EXPECT_NEAR(static_cast<double>(times.size()), expected, 4 * std::sqrt(expected));
    // Arrival by arrival the same stream gives the same times.
    EXPECT_EQ(arrivals(process, from_s, from_s + 30 * day_s, 6),
              arrivals(process, from_s, from_s + 30 * day_s, 6));
    EXPECT_NE(arrivals(process, from_s, from_s + 30 * day_s, 6),
              arrivals(process, from_s, from_s + 30 * day_s, 7));
}

TEST(ArrivalProcess, NextArrivalContract) {
    ArrivalSpec spec;
    spec.rate_per_s = 1;
    const ArrivalProcess process(spec);
    RandomStream rng({8, 0, 0, 0});
    EXPECT_EQ(process.next_arrival(100, 100, rng), never);
    EXPECT_EQ(process.next_arrival(100, 50, rng), never);
    // A window too short to hold an arrival, most of the time: +inf, never an instant past it.
    for (int i = 0; i < 1000; ++i) {
        const double t = process.next_arrival(100, 100.01, rng);
        ASSERT_TRUE(t == never || (t > 100 && t < 100.01)) << t;
    }
    // Gaps far below the resolution of the clock still give a later instant.
    ArrivalSpec fast = spec;
    fast.rate_per_s = 1e12;
    const double after_s = at("2026-01-01");
    for (int i = 0; i < 100; ++i)
        ASSERT_GT(ArrivalProcess(fast).next_arrival(after_s, after_s + 1, rng), after_s);
    ArrivalSpec silent = spec;
    silent.rate_per_s = 0;
    EXPECT_EQ(ArrivalProcess(silent).next_arrival(0, 1e9, rng), never);
    EXPECT_THROW(process.next_arrival(0, never, rng), std::invalid_argument);
    EXPECT_THROW(process.next_arrival(std::nan(""), 10, rng), std::invalid_argument);
}

TEST(ArrivalProcess, InvalidSpecs) {
    const ArrivalSpec good{.rate_per_s = 1};
    EXPECT_NO_THROW(ArrivalProcess{good});
    auto with = [&](auto change) {
        ArrivalSpec s = good;
        change(s);
        return s;
    };
    EXPECT_THROW(ArrivalProcess(with([](ArrivalSpec& s) { s.rate_per_s = -1; })), std::invalid_argument);
    EXPECT_THROW(ArrivalProcess(with([](ArrivalSpec& s) { s.rate_per_s = never; })), std::invalid_argument);
    EXPECT_THROW(ArrivalProcess(with([](ArrivalSpec& s) { s.growth_per_year = -1; })), std::invalid_argument);
    EXPECT_THROW(ArrivalProcess(with([](ArrivalSpec& s) { s.daily = {}; })), std::invalid_argument);
    EXPECT_THROW(ArrivalProcess(with([](ArrivalSpec& s) { s.weekly[2] = -1; })), std::invalid_argument);
    EXPECT_THROW(ArrivalProcess(with([](ArrivalSpec& s) { s.utc_offset_s = std::nan(""); })),
                 std::invalid_argument);
    // Factors are relative: doubling them all changes nothing.
    ArrivalSpec doubled = good;
    for (double& f : doubled.daily) f = 2;
    EXPECT_EQ(ArrivalProcess(doubled).rate_at(12345), 1.0);
}

TEST(ArrivalProcess, Presets) {
    EXPECT_EQ(daily_cycle_names(), (std::vector<std::string>{"flat", "afternoon-peak", "office-hours"}));
    EXPECT_EQ(weekly_cycle_names(), (std::vector<std::string>{"flat", "weekdays"}));
    for (const auto& name : daily_cycle_names()) {
        const auto f = daily_cycle(name);
        EXPECT_NEAR(std::accumulate(f.begin(), f.end(), 0.0) / 24, 1.0, 1e-12) << name;
    }
    for (const auto& name : weekly_cycle_names()) {
        const auto f = weekly_cycle(name);
        EXPECT_NEAR(std::accumulate(f.begin(), f.end(), 0.0) / 7, 1.0, 1e-12) << name;
    }
    const auto peak = daily_cycle("afternoon-peak");
    EXPECT_EQ(std::min_element(peak.begin(), peak.end()) - peak.begin(), 5);
    for (std::size_t h = 14; h < 17; ++h) EXPECT_EQ(peak[h], *std::max_element(peak.begin(), peak.end()));
    EXPECT_NEAR(peak[15] / peak[5], 3.75, 1e-12);
    const auto office = daily_cycle("office-hours");
    EXPECT_NEAR(office[9] / office[8], 3.0, 1e-12);
    EXPECT_NEAR(office[17] / office[18], 3.0, 1e-12);
    const auto weekdays = weekly_cycle("weekdays");
    EXPECT_NEAR(weekdays[0], 7.0 / 6, 1e-12);
    EXPECT_NEAR(weekdays[6], 7.0 / 12, 1e-12);
    EXPECT_EQ(ArrivalSpec{}.daily, daily_cycle("flat"));
    EXPECT_EQ(ArrivalSpec{}.weekly, weekly_cycle("flat"));

    EXPECT_EQ(invalid_argument_message([] { daily_cycle("afternoon_peak"); }),
              "unknown daily cycle 'afternoon_peak'; expected 'flat', 'afternoon-peak' or 'office-hours'; "
              "did you mean 'afternoon-peak'?");
    EXPECT_EQ(invalid_argument_message([] { weekly_cycle("weekend"); }),
              "unknown weekly cycle 'weekend'; expected 'flat' or 'weekdays'");
}

TEST(ArrivalProcess, ParseRate) {
    EXPECT_DOUBLE_EQ(parse_rate_per_s("1/s"), 1.0);
    EXPECT_DOUBLE_EQ(parse_rate_per_s("0.5/min"), 0.5 / 60);
    EXPECT_DOUBLE_EQ(parse_rate_per_s("2/h"), 2 / hour_s);
    EXPECT_DOUBLE_EQ(parse_rate_per_s("2/hour"), 2 / hour_s);
    EXPECT_DOUBLE_EQ(parse_rate_per_s("400/day"), 400 / day_s);
    EXPECT_DOUBLE_EQ(parse_rate_per_s("400/d"), 400 / day_s);
    EXPECT_DOUBLE_EQ(parse_rate_per_s("10/week"), 10 / (7 * day_s));
    EXPECT_DOUBLE_EQ(parse_rate_per_s("3/month"), 3 / (365.25 * day_s / 12));
    EXPECT_DOUBLE_EQ(parse_rate_per_s("50/year"), 50 / (365.25 * day_s));
    EXPECT_DOUBLE_EQ(parse_rate_per_s(" 50 / y "), 50 / (365.25 * day_s));
    EXPECT_EQ(parse_rate_per_s("0/day"), 0.0);

    const std::string units =
        "expected a number per 's', 'min', 'h', 'hour', 'd', 'day', 'w', 'week', 'month', "
        "'y' or 'year', as in '400/day'";
    EXPECT_EQ(invalid_argument_message([] { parse_rate_per_s("3/fortnight"); }),
              "rate '3/fortnight': unknown unit 'fortnight'; " + units);
    EXPECT_EQ(invalid_argument_message([] { parse_rate_per_s("3/days"); }),
              "rate '3/days': unknown unit 'days'; " + units + "; did you mean 'day'?");
    EXPECT_EQ(invalid_argument_message([] { parse_rate_per_s("400"); }), "rate '400': " + units);
    EXPECT_EQ(invalid_argument_message([] { parse_rate_per_s("many/day"); }),
              "rate 'many/day': not a number before '/'; " + units);
    EXPECT_EQ(invalid_argument_message([] { parse_rate_per_s("-1/day"); }),
              "rate '-1/day': a rate cannot be negative");
    EXPECT_THROW(parse_rate_per_s("1/"), std::invalid_argument);
    EXPECT_THROW(parse_rate_per_s("inf/day"), std::invalid_argument);
}

TEST(ArrivalProcess, ParseGrowth) {
    EXPECT_DOUBLE_EQ(parse_growth_per_year("35%/year"), 0.35);
    EXPECT_DOUBLE_EQ(parse_growth_per_year("0.35/year"), 0.35);
    EXPECT_DOUBLE_EQ(parse_growth_per_year(" 35 % / y"), 0.35);
    EXPECT_DOUBLE_EQ(parse_growth_per_year("-10%/year"), -0.1);
    EXPECT_EQ(parse_growth_per_year("0/year"), 0.0);
    EXPECT_EQ(invalid_argument_message([] { parse_growth_per_year("35%"); }),
              "growth '35%': expected a growth per year such as '35%/year' or '0.35/year'");
    EXPECT_EQ(invalid_argument_message([] { parse_growth_per_year("3%/month"); }),
              "growth '3%/month': unknown unit 'month'; expected a growth per year such as '35%/year' or "
              "'0.35/year'");
    EXPECT_THROW(parse_growth_per_year("lots/year"), std::invalid_argument);
    EXPECT_THROW(parse_growth_per_year("-100%/year"), std::invalid_argument);
}

} // namespace
} // namespace capsim::workload
