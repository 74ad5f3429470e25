#include "capsim/util/calendar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "capsim/util/strings.hpp"

namespace capsim {
namespace {

/// An instant split into whole days since the epoch and the seconds into that day, 0 <= s < 86400.
struct DaySplit {
    std::int64_t days;
    double second_of_day;
};

// Beyond this the day count no longer converts to an integer (or a year to an int) safely.
constexpr double max_abs_epoch_s = 1e16;

DaySplit split_day(double epoch_s) {
    if (!(std::fabs(epoch_s) < max_abs_epoch_s)) {
        throw std::invalid_argument("calendar: time " + std::to_string(epoch_s) + " s is out of range");
    }
    double days = std::floor(epoch_s / seconds_per_day);
    double second = epoch_s - days * seconds_per_day;
    // The division rounds, so an instant a hair before midnight can land on the wrong day; and a tiny
    // negative instant leaves 86400 - tiny, which rounds up to 86400. Both are put back in range here.
    if (second < 0) {
        second += seconds_per_day;
        days -= 1;
    }
    if (second >= seconds_per_day) {
        second -= seconds_per_day;
        days += 1;
    }
    return {static_cast<std::int64_t>(days), second};
}

/// How an instant that has no calendar date prints, so that formatting for a message never throws.
std::string undated(double epoch_s) {
    if (std::isnan(epoch_s)) return "nan";
    if (std::isinf(epoch_s)) return epoch_s > 0 ? "inf" : "-inf";
    return std::to_string(epoch_s) + " s";
}

/// `count` decimal digits at `pos`, or nullopt if any is not a digit.
std::optional<unsigned> fixed_digits(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size()) return std::nullopt;
    unsigned value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return value;
}

/// The fields of a text that starts `YYYY-MM-DD`, unchecked against the calendar; nullopt if it
/// does not start so.
std::optional<CivilDate> date_fields(std::string_view text) {
    const auto year = fixed_digits(text, 0, 4);
    const auto month = fixed_digits(text, 5, 2);
    const auto day = fixed_digits(text, 8, 2);
    if (!year || !month || !day || text[4] != '-' || text[7] != '-') return std::nullopt;
    return CivilDate{static_cast<int>(*year), *month, *day};
}

} // namespace

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(int year, unsigned month) {
    constexpr unsigned lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && is_leap_year(year)) return 29;
    return lengths[month - 1];
}

// Howard Hinnant's algorithms (http://howardhinnant.github.io/date_algorithms.html): the year is
// counted from March so that the leap day falls at its end, and in 400-year eras that repeat exactly.
std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
    const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(y - era * 400);                              // [0, 399]
    const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1; // [0, 365]
    const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto day_of_era = static_cast<unsigned>(z - era * 146097); // [0, 146096]
    const unsigned year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const unsigned mp = (5 * day_of_year + 2) / 153; // month counted from March, [0, 11]
    const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
    return {static_cast<int>(year), month, day};
}

CivilTime civil_from_epoch(double epoch_s) {
    const DaySplit split = split_day(epoch_s);
    const CivilDate date = civil_from_days(split.days);
    const auto hour = static_cast<unsigned>(std::floor(split.second_of_day / 3600.0));
    const double into_hour = split.second_of_day - hour * 3600.0;
    const auto minute = std::min(59u, static_cast<unsigned>(std::floor(into_hour / 60.0)));
    return {date.year, date.month, date.day, hour, minute, into_hour - minute * 60.0};
}

std::optional<std::string> impossible_date(std::string_view text) {
    const auto fields = date_fields(trim(text));
    if (!fields) return std::nullopt;
    const auto [year, month, day] = *fields;
    if (month < 1 || month > 12) return "there is no month " + std::to_string(month);
    const unsigned length = days_in_month(year, month);
    if (day >= 1 && day <= length) return std::nullopt;
    static constexpr const char* names[12] = {"January", "February", "March",     "April",   "May",      "June",
                                              "July",    "August",   "September", "October", "November", "December"};
    return std::string(names[month - 1]) + " " + std::to_string(year) + " has " + std::to_string(length) + " days";
}

std::optional<double> parse_datetime(std::string_view text) {
    text = trim(text);
    const auto fields = date_fields(text);
    if (!fields) return std::nullopt;
    const auto [year, month, day] = *fields;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
    std::string_view time = text.substr(10);
    if (!time.empty()) {
        if (time.front() != ' ' && time.front() != 'T') return std::nullopt;
        time.remove_prefix(1);
        if (!time.empty() && time.back() == 'Z') time.remove_suffix(1);
        if (time.size() != 5 && time.size() != 8) return std::nullopt;
        const auto h = fixed_digits(time, 0, 2);
        const auto m = fixed_digits(time, 3, 2);
        if (!h || !m || time[2] != ':' || *h > 23 || *m > 59) return std::nullopt;
        hour = *h;
        minute = *m;
        if (time.size() == 8) {
            const auto s = fixed_digits(time, 6, 2);
            if (!s || time[5] != ':' || *s > 59) return std::nullopt;
            second = *s;
        }
    }
    const std::int64_t days = days_from_civil(year, month, day);
    return static_cast<double>(days) * seconds_per_day + hour * 3600.0 + minute * 60.0 + second;
}

std::string format_date(double epoch_s) {
    if (!(std::fabs(epoch_s) < max_abs_epoch_s)) return undated(epoch_s);
    const CivilDate date = civil_from_days(split_day(epoch_s).days);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", date.year, date.month, date.day);
    return buffer;
}

std::string format_datetime(double epoch_s) {
    if (!(std::fabs(epoch_s) < max_abs_epoch_s)) return undated(epoch_s);
    const CivilTime t = civil_from_epoch(std::floor(epoch_s));
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02u:%02u:%02u", t.year, t.month, t.day, t.hour,
                  t.minute, static_cast<unsigned>(t.second));
    return buffer;
}

double start_of_next_month(double epoch_s, double utc_offset_s) {
    const CivilDate local = civil_from_days(split_day(epoch_s + utc_offset_s).days);
    const int year = local.month == 12 ? local.year + 1 : local.year;
    const unsigned month = local.month == 12 ? 1 : local.month + 1;
    return static_cast<double>(days_from_civil(year, month, 1)) * seconds_per_day - utc_offset_s;
}

unsigned local_month(double epoch_s, double utc_offset_s) {
    return civil_from_days(split_day(epoch_s + utc_offset_s).days).month;
}

double local_hour_of_day(double epoch_s, double utc_offset_s) {
    const double hour = local_second_of_day(epoch_s, utc_offset_s) / 3600.0;
    return hour < 24.0 ? hour : std::nextafter(24.0, 0.0); // 86400 - ulp can round up to 24
}

double local_second_of_day(double epoch_s, double utc_offset_s) {
    return split_day(epoch_s + utc_offset_s).second_of_day;
}

double start_of_local_day(double epoch_s, double utc_offset_s) {
    return static_cast<double>(split_day(epoch_s + utc_offset_s).days) * seconds_per_day - utc_offset_s;
}

std::vector<CalendarYear> calendar_years(double from_s, double to_s) {
    std::vector<CalendarYear> years;
    if (!(to_s > from_s)) return years;
    for (int year = civil_from_epoch(from_s).year;; ++year) {
        const double next_s = static_cast<double>(days_from_civil(year + 1, 1, 1)) * seconds_per_day;
        years.push_back({year, years.empty() ? from_s : years.back().to_s, std::min(next_s, to_s)});
        if (next_s >= to_s) return years;
    }
}

} // namespace capsim
