#pragma once
/// Calendar arithmetic for scenario times: UTC seconds since the Unix epoch as a double (`epoch_s`),
/// proleptic Gregorian calendar, no leap seconds. Local time is UTC plus a fixed offset; capsim has
/// no time-zone database, so daylight saving is the scenario's to model (e.g. with a monthly profile).
/// Functions taking an instant throw std::invalid_argument unless it is finite and within about
/// 300 million years of 1970, where the day count still fits the calendar's integers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

constexpr double seconds_per_day = 86400.0;

/// A day of the proleptic Gregorian calendar.
struct CivilDate {
    int year;
    unsigned month; // 1-12
    unsigned day;   // 1-31
};

/// An instant broken down into calendar fields.
struct CivilTime {
    int year;
    unsigned month;  // 1-12
    unsigned day;    // 1-31
    unsigned hour;   // 0-23
    unsigned minute; // 0-59
    double second;   // 0 <= second < 60, with the fraction of the instant
};

bool is_leap_year(int year);

/// 28 to 31; `month` is 1-12.
unsigned days_in_month(int year, unsigned month);

/// Days since 1970-01-01 (negative before it). No range check: 2001-02-31 is 2001-03-03.
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

/// The date `days` days after 1970-01-01.
CivilDate civil_from_days(std::int64_t days);

/// The UTC calendar fields of an instant.
CivilTime civil_from_epoch(double epoch_s);

/// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS` as UTC, with 'T' allowed in
/// place of the space and an optional trailing 'Z' after a time; blanks around the text are ignored.
/// nullopt unless every field is in range (month 1-12, day within the month, hour 0-23, minute and
/// second 0-59).
std::optional<double> parse_datetime(std::string_view text);

/// Why text of the form YYYY-MM-DD... names no day ("February 2026 has 28 days", "there is no month
/// 13"); nullopt if it does, or if it is not of that form at all.
std::optional<std::string> impossible_date(std::string_view text);

/// "YYYY-MM-DD" of the UTC day holding `epoch_s`; never throws, as format_datetime.
std::string format_date(double epoch_s);

/// "YYYY-MM-DD HH:MM:SS" in UTC, the fraction of a second dropped (truncated towards the past, so
/// that an instant never prints as the next second). Never throws: an instant out of range prints
/// as "inf", "-inf", "nan" or a number of seconds.
std::string format_datetime(double epoch_s);

/// One UTC calendar year as far as it lies within a horizon.
struct CalendarYear {
    int year;
    double from_s; // max(1 January 00:00, the horizon's start)
    double to_s;   // min(1 January of the next year, the horizon's end)
};

/// The calendar years that [from_s, to_s) overlaps, in order; empty when to_s <= from_s. A horizon
/// from 2026-03-01 to 2028-01-01 gives 2026 (from 1 March) and 2027.
std::vector<CalendarYear> calendar_years(double from_s, double to_s);

/// The first instant of the calendar month after the one holding `epoch_s` in local time (UTC +
/// `utc_offset_s`), as UTC epoch seconds.
double start_of_next_month(double epoch_s, double utc_offset_s);

/// The local calendar month (1-12) holding `epoch_s`.
unsigned local_month(double epoch_s, double utc_offset_s);

/// The local time of day in hours, 0 <= h < 24, with the fraction of the hour.
double local_hour_of_day(double epoch_s, double utc_offset_s);

/// The local time of day in seconds, 0 <= s < 86400.
double local_second_of_day(double epoch_s, double utc_offset_s);

/// The local midnight that starts the day holding `epoch_s`, as UTC epoch seconds.
double start_of_local_day(double epoch_s, double utc_offset_s);

} // namespace capsim
