#include "capsim/util/calendar.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace capsim {
namespace {

constexpr double hour_s = 3600.0;
constexpr double march_1_2026_s = 1772323200.0; // date -u -d 2026-03-01 +%s

double at(const char* text) {
    const auto t = parse_datetime(text);
    EXPECT_TRUE(t.has_value()) << text;
    return t.value_or(std::nan(""));
}

TEST(Calendar, KnownDays) {
    EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
    EXPECT_EQ(days_from_civil(2000, 3, 1), 11017); // 30 years with 7 leap days, then Jan + 29-day Feb
    EXPECT_EQ(days_from_civil(2026, 3, 1), 20513);
    EXPECT_EQ(days_from_civil(1600, 1, 1), -135140);
    const CivilDate d = civil_from_days(-1);
    EXPECT_EQ(d.year, 1969);
    EXPECT_EQ(d.month, 12u);
    EXPECT_EQ(d.day, 31u);
    const CivilDate leap = civil_from_days(days_from_civil(2000, 2, 29));
    EXPECT_EQ(leap.year, 2000);
    EXPECT_EQ(leap.month, 2u);
    EXPECT_EQ(leap.day, 29u);
}

TEST(Calendar, LeapYearsAndMonthLengths) {
    EXPECT_TRUE(is_leap_year(2000));
    EXPECT_TRUE(is_leap_year(2024));
    EXPECT_FALSE(is_leap_year(1900));
    EXPECT_FALSE(is_leap_year(2026));
    EXPECT_EQ(days_in_month(2024, 2), 29u);
    EXPECT_EQ(days_in_month(2026, 2), 28u);
    EXPECT_EQ(days_in_month(2026, 4), 30u);
    EXPECT_EQ(days_in_month(2026, 12), 31u);
}

TEST(Calendar, DaysRoundTripAndFollowEachOther) {
    // Day by day from 1599-12-31 to past 2401: every date is the one after the previous.
    std::int64_t day = days_from_civil(1599, 12, 31);
    CivilDate previous = civil_from_days(day);
    for (++day; day <= days_from_civil(2401, 3, 1); ++day) {
        const CivilDate d = civil_from_days(day);
        ASSERT_EQ(days_from_civil(d.year, d.month, d.day), day);
        if (previous.day < days_in_month(previous.year, previous.month)) {
            ASSERT_EQ(d.year, previous.year);
            ASSERT_EQ(d.month, previous.month);
            ASSERT_EQ(d.day, previous.day + 1);
        } else {
            ASSERT_EQ(d.day, 1u);
            ASSERT_EQ(d.month, previous.month == 12 ? 1u : previous.month + 1);
            ASSERT_EQ(d.year, previous.month == 12 ? previous.year + 1 : previous.year);
        }
        previous = d;
    }
    // And sparsely far out, both sides of the epoch.
    for (std::int64_t far = -3'000'000; far <= 3'000'000; far += 9973) {
        const CivilDate d = civil_from_days(far);
        ASSERT_EQ(days_from_civil(d.year, d.month, d.day), far);
    }
}

TEST(Calendar, ParsesTheAcceptedForms) {
    EXPECT_EQ(parse_datetime("1970-01-01"), 0.0);
    EXPECT_EQ(parse_datetime("2026-03-01"), march_1_2026_s);
    EXPECT_EQ(parse_datetime("2026-03-01 05:30"), march_1_2026_s + 5.5 * hour_s);
    EXPECT_EQ(parse_datetime("2026-03-01T05:30"), march_1_2026_s + 5.5 * hour_s);
    EXPECT_EQ(parse_datetime("2026-03-01 05:30:15"), march_1_2026_s + 5.5 * hour_s + 15);
    EXPECT_EQ(parse_datetime("2026-03-01T05:30:15Z"), march_1_2026_s + 5.5 * hour_s + 15);
    EXPECT_EQ(parse_datetime("2026-03-01 05:30Z"), march_1_2026_s + 5.5 * hour_s);
    EXPECT_EQ(parse_datetime("  2026-03-01 23:59:59 "), march_1_2026_s + 86399);
    EXPECT_EQ(parse_datetime("1969-12-31 23:00"), -hour_s);
    EXPECT_TRUE(parse_datetime("2000-02-29"));
    EXPECT_TRUE(parse_datetime("2024-02-29"));
}

TEST(Calendar, RejectsWhatIsOutOfRangeOrMalformed) {
    for (const char* bad : {"2001-02-29",
                            "1900-02-29",
                            "2026-13-01",
                            "2026-00-10",
                            "2026-04-31",
                            "2026-01-00",
                            "2026-01-01 24:00",
                            "2026-01-01 12:60",
                            "2026-01-01 12:00:60",
                            "2026-1-01",
                            "26-01-01",
                            "2026/01/01",
                            "2026-01-01x",
                            "2026-01-01 12",
                            "2026-01-01 12:00:0",
                            "2026-01-01_12:00",
                            "2026-01-01Z",
                            "2026-01-01 12:00ZZ",
                            "2026-01-01 12:00:00.5",
                            "",
                            "today"}) {
        EXPECT_FALSE(parse_datetime(bad)) << bad;
    }
}

TEST(Calendar, SaysWhyADateNamesNoDay) {
    EXPECT_EQ(impossible_date("2026-02-30"), "February 2026 has 28 days");
    EXPECT_EQ(impossible_date("2028-02-30 12:00"), "February 2028 has 29 days");
    EXPECT_EQ(impossible_date("1900-02-29"), "February 1900 has 28 days");
    EXPECT_EQ(impossible_date("2026-04-31"), "April 2026 has 30 days");
    EXPECT_EQ(impossible_date("2026-01-00"), "January 2026 has 31 days");
    EXPECT_EQ(impossible_date("2026-13-01"), "there is no month 13");
    EXPECT_EQ(impossible_date("2026-00-10"), "there is no month 0");
    for (const char* fine_or_other : {"2024-02-29", "2026-12-31 23:59", "today", "2026/02/30", "26-02-30", ""}) {
        EXPECT_FALSE(impossible_date(fine_or_other)) << fine_or_other;
    }
}

TEST(Calendar, BreaksInstantsIntoFields) {
    const CivilTime t = civil_from_epoch(march_1_2026_s + hour_s + 61.25);
    EXPECT_EQ(t.year, 2026);
    EXPECT_EQ(t.month, 3u);
    EXPECT_EQ(t.day, 1u);
    EXPECT_EQ(t.hour, 1u);
    EXPECT_EQ(t.minute, 1u);
    EXPECT_DOUBLE_EQ(t.second, 1.25);
    const CivilTime before_epoch = civil_from_epoch(-0.5);
    EXPECT_EQ(before_epoch.year, 1969);
    EXPECT_EQ(before_epoch.hour, 23u);
    EXPECT_EQ(before_epoch.minute, 59u);
    EXPECT_DOUBLE_EQ(before_epoch.second, 59.5);
}

TEST(Calendar, Formats) {
    EXPECT_EQ(format_date(march_1_2026_s), "2026-03-01");
    EXPECT_EQ(format_date(march_1_2026_s - 1), "2026-02-28");
    EXPECT_EQ(format_datetime(march_1_2026_s + 5.5 * hour_s + 15.9), "2026-03-01 05:30:15");
    EXPECT_EQ(format_datetime(0), "1970-01-01 00:00:00");
    EXPECT_EQ(format_datetime(-0.5), "1969-12-31 23:59:59");
    EXPECT_EQ(format_datetime(std::numeric_limits<double>::infinity()), "inf");
    EXPECT_EQ(*parse_datetime(format_datetime(march_1_2026_s + 12345)), march_1_2026_s + 12345);
}

TEST(Calendar, RejectsInstantsWithoutADate) {
    EXPECT_THROW(civil_from_epoch(std::numeric_limits<double>::infinity()), std::invalid_argument);
    EXPECT_THROW(local_month(std::nan(""), 0), std::invalid_argument);
    EXPECT_THROW(start_of_next_month(1e300, 0), std::invalid_argument);
}

TEST(Calendar, YearsOfAHorizon) {
    const double start_s = *parse_datetime("2026-03-01"), end_s = *parse_datetime("2028-01-01");
    const auto years = calendar_years(start_s, end_s);
    ASSERT_EQ(years.size(), 2u);
    EXPECT_EQ(years[0].year, 2026);
    EXPECT_EQ(years[0].from_s, start_s); // the first year starts with the horizon
    EXPECT_EQ(years[0].to_s, *parse_datetime("2027-01-01"));
    EXPECT_EQ(years[1].year, 2027);
    EXPECT_EQ(years[1].from_s, years[0].to_s);
    EXPECT_EQ(years[1].to_s, end_s); // ends exactly at a new year: 2028 has no part of it
    // A horizon inside one year, and one that is empty.
    const auto part = calendar_years(*parse_datetime("2030-05-01"), *parse_datetime("2030-05-02 12:00"));
    ASSERT_EQ(part.size(), 1u);
    EXPECT_EQ(part[0].to_s - part[0].from_s, 1.5 * seconds_per_day);
    EXPECT_TRUE(calendar_years(end_s, end_s).empty());
}

TEST(Calendar, StartOfNextMonthInUtc) {
    EXPECT_EQ(start_of_next_month(at("2026-01-31 23:00"), 0), at("2026-02-01"));
    EXPECT_EQ(start_of_next_month(at("2026-02-01"), 0), at("2026-03-01")); // at a month start: the next one
    EXPECT_EQ(start_of_next_month(at("2026-12-15 12:00"), 0), at("2027-01-01"));
    EXPECT_EQ(start_of_next_month(at("2024-02-29 23:59:59"), 0), at("2024-03-01"));
}

TEST(Calendar, StartOfNextMonthInLocalTime) {
    const double plus_4h = 4 * hour_s;
    // 23:00 UTC on 31 January is 03:00 on 1 February at UTC+4: the next local month is March, which
    // starts at 2026-03-01 00:00 local = 2026-02-28 20:00 UTC.
    EXPECT_EQ(start_of_next_month(at("2026-01-31 23:00"), plus_4h), at("2026-02-28 20:00"));
    EXPECT_EQ(local_month(at("2026-01-31 23:00"), plus_4h), 2u);
    EXPECT_EQ(local_month(at("2026-01-31 19:59:59"), plus_4h), 1u);
    EXPECT_EQ(start_of_next_month(at("2026-01-31 19:59:59"), plus_4h), at("2026-01-31 20:00"));
    // At UTC-5, 03:00 UTC on 1 March is still 22:00 on 28 February.
    const double minus_5h = -5 * hour_s;
    EXPECT_EQ(local_month(at("2026-03-01 03:00"), minus_5h), 2u);
    EXPECT_EQ(start_of_next_month(at("2026-03-01 03:00"), minus_5h), at("2026-03-01 05:00"));
    EXPECT_EQ(start_of_next_month(at("2026-12-31 23:00"), minus_5h), at("2027-01-01 05:00"));
}

TEST(Calendar, LocalTimeOfDay) {
    EXPECT_DOUBLE_EQ(local_hour_of_day(at("2026-01-31 23:00"), 4 * hour_s), 3.0);
    EXPECT_DOUBLE_EQ(local_hour_of_day(at("2026-03-01 02:15"), -5.5 * hour_s), 20.75);
    EXPECT_DOUBLE_EQ(local_hour_of_day(at("2026-03-01 00:00"), 0), 0.0);
    EXPECT_DOUBLE_EQ(local_second_of_day(at("2026-03-01 00:00:01"), 0), 1.0);
    EXPECT_EQ(start_of_local_day(at("2026-03-01 02:15"), -5.5 * hour_s), at("2026-02-28 05:30"));
    const double h = local_hour_of_day(-1e-300, 0); // the instant just before the epoch
    EXPECT_GE(h, 0.0);
    EXPECT_LT(h, 24.0);
}

} // namespace
} // namespace capsim
