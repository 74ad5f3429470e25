#include "capsim/infra/profile.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "capsim/util/calendar.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/csv.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::infra {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();


std::size_t column_index(const std::vector<std::string>& columns, std::string_view name,
                         const std::string& path) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i] == name) return i;
    }
    std::string message =
        path + ": no column '" + std::string(name) + "'; columns are " + quoted_list(columns);
    if (auto near = nearest_name(name, columns)) message += "; did you mean '" + *near + "'?";
    throw InputError(message);
}

/// The earliest instant after `epoch_s`, for a computed change time that rounding put at or before it:
/// for_each_piece needs every piece to move forward.
double strictly_after(double candidate_s, double epoch_s) {
    return std::max(candidate_s, std::nextafter(epoch_s, infinity));
}

} // namespace

Profile::Profile(Kind kind, std::vector<double> values, std::vector<double> times_s)
    : kind_(kind), values_(std::move(values)), times_s_(std::move(times_s)) {
    settle();
}

void Profile::settle() {
    for (const double value : values_) {
        if (!std::isfinite(value)) throw std::invalid_argument("profile values must be finite numbers");
    }
    if (kind_ == Kind::steps) {
        // A row repeating the previous value changes nothing, and would only cost an event.
        std::size_t kept = 0;
        for (std::size_t i = 0; i < values_.size(); ++i) {
            if (kept > 0 && values_[i] == values_[kept - 1]) continue;
            values_[kept] = values_[i];
            times_s_[kept] = times_s_[i];
            ++kept;
        }
        values_.resize(kept);
        times_s_.resize(kept);
    }
    const auto [lowest, highest] = std::minmax_element(values_.begin(), values_.end());
    min_value_ = *lowest;
    max_value_ = *highest;
    // One value throughout is a constant, whatever its shape: it then reports no changes at all.
    if (min_value_ == max_value_) {
        kind_ = Kind::constant;
        values_.resize(1);
        times_s_.clear();
    }
}

Profile Profile::constant(double value) { return Profile(Kind::constant, {value}); }

Profile Profile::from_rows(const std::vector<std::pair<double, double>>& rows, double horizon_start_s,
                           bool second_apart, const char* what) {
    const std::string name = std::string("profile ") + what;
    if (rows.empty()) throw std::invalid_argument(name + ": none given");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double time_s = rows[i].first;
        if (!std::isfinite(time_s)) throw std::invalid_argument(name + ": a time is not finite");
        if (i == 0) continue;
        const double previous_s = rows[i - 1].first;
        if (!(time_s > previous_s && (!second_apart || time_s - previous_s >= 1.0))) {
            throw std::invalid_argument(
                name + ": times must increase" + (second_apart ? " by at least 1 s" : "") + " (" +
                format_datetime(time_s) + " after " + format_datetime(previous_s) + ")");
        }
    }
    if (!(rows.front().first <= horizon_start_s)) {
        throw std::invalid_argument(name + " start at " + format_datetime(rows.front().first) +
                                    ", after the start of the horizon (" + format_datetime(horizon_start_s) +
                                    ")");
    }
    std::vector<double> times_s;
    std::vector<double> values;
    for (const auto& [time_s, value] : rows) {
        times_s.push_back(time_s);
        values.push_back(value);
    }
    return Profile(Kind::steps, std::move(values), std::move(times_s));
}

Profile Profile::steps(std::vector<std::pair<double, double>> steps, double horizon_start_s) {
    return from_rows(steps, horizon_start_s, false, "steps");
}

Profile Profile::series(std::vector<std::pair<double, double>> rows, double horizon_start_s) {
    return from_rows(rows, horizon_start_s, true, "series rows");
}

Profile Profile::monthly(std::array<double, 12> values, double utc_offset_s) {
    if (!std::isfinite(utc_offset_s))
        throw std::invalid_argument("monthly profile: the UTC offset is not finite");
    Profile profile(Kind::monthly, std::vector<double>(values.begin(), values.end()));
    profile.utc_offset_s_ = utc_offset_s;
    return profile;
}

Profile Profile::day_night(double day_value, double night_value, int night_start_hour, int night_end_hour,
                           double utc_offset_s) {
    if (night_start_hour < 0 || night_start_hour > 23 || night_end_hour < 0 || night_end_hour > 23) {
        throw std::invalid_argument("day/night profile: night hours must be whole hours 0-23, not [" +
                                    std::to_string(night_start_hour) + ", " + std::to_string(night_end_hour) +
                                    ")");
    }
    if (night_start_hour == night_end_hour) {
        throw std::invalid_argument("day/night profile: the night starts and ends at the same hour (" +
                                    std::to_string(night_start_hour) + ")");
    }
    if (!std::isfinite(utc_offset_s))
        throw std::invalid_argument("day/night profile: the UTC offset is not finite");
    Profile profile(Kind::day_night, {day_value, night_value});
    profile.night_start_hour_ = night_start_hour;
    profile.night_end_hour_ = night_end_hour;
    profile.utc_offset_s_ = utc_offset_s;
    return profile;
}

Profile Profile::from_csv(const std::string& path, std::string_view time_column,
                          std::string_view value_column, double horizon_start_s) {
    std::ifstream in(path);
    if (!in) throw IoError("cannot open profile '" + path + "': " + std::strerror(errno));
    std::string line;
    std::size_t line_number = 0;
    const std::vector<std::string> columns = read_csv_header(in, line_number, path);
    std::vector<std::pair<double, double>> rows;
    std::size_t first_row_line = 0;
    if (!columns.empty()) {
        const std::size_t time_index = column_index(columns, time_column, path);
        const std::size_t value_index = column_index(columns, value_column, path);
        const std::size_t needed = std::max(time_index, value_index) + 1;
        while (std::getline(in, line)) {
            ++line_number;
            if (trim(line).empty()) continue;
            const std::string where = path + ":" + std::to_string(line_number);
            const auto fields = split_csv_line(line);
            if (fields.size() < needed) {
                throw InputError(where + ": expected " + std::to_string(columns.size()) + " columns, found " +
                                 std::to_string(fields.size()));
            }
            const auto time_s = parse_datetime(fields[time_index]);
            if (!time_s)
                throw InputError(where + ": time '" + std::string(fields[time_index]) + "' is not a date");
            const auto value = parse_finite_double(fields[value_index]);
            if (!value) {
                throw InputError(where + ": column '" + std::string(value_column) + "': '" +
                                 std::string(fields[value_index]) + "' is not a number");
            }
            if (!rows.empty() && *time_s <= rows.back().first) {
                throw InputError(where + ": times must increase (" + format_datetime(*time_s) + " after " +
                                 format_datetime(rows.back().first) + ")");
            }
            if (rows.empty()) first_row_line = line_number;
            rows.emplace_back(*time_s, *value);
        }
    }
    if (in.bad()) throw IoError("cannot read profile '" + path + "': " + std::strerror(errno));
    if (rows.empty()) throw InputError(path + ": no data rows after the header");
    if (!(rows.front().first <= horizon_start_s)) {
        throw InputError(path + ":" + std::to_string(first_row_line) + ": the data starts at " +
                         format_datetime(rows.front().first) + ", after the start of the horizon (" +
                         format_datetime(horizon_start_s) + ")");
    }
    // Whole-second times that increase are at least 1 s apart, so series() accepts them.
    return series(std::move(rows), horizon_start_s);
}

Profile Profile::scaled(double factor) const {
    if (!std::isfinite(factor)) throw std::invalid_argument("profile: the scale factor is not finite");
    Profile out = *this;
    for (double& value : out.values_) value *= factor;
    out.settle();
    return out;
}

bool Profile::is_night(double epoch_s) const {
    const double second = local_second_of_day(epoch_s, utc_offset_s_);
    const double start_s = night_start_hour_ * 3600.0;
    const double end_s = night_end_hour_ * 3600.0;
    if (start_s < end_s) return start_s <= second && second < end_s;
    return second >= start_s || second < end_s; // the night wraps past midnight
}

double Profile::value_at(double epoch_s) const {
    switch (kind_) {
    case Kind::constant: return values_.front();
    case Kind::steps: {
        const auto after = std::upper_bound(times_s_.begin(), times_s_.end(), epoch_s);
        if (after == times_s_.begin()) return values_.front(); // before the data: see the class comment
        return values_[static_cast<std::size_t>(after - times_s_.begin()) - 1];
    }
    case Kind::monthly: return values_[local_month(epoch_s, utc_offset_s_) - 1];
    case Kind::day_night: return is_night(epoch_s) ? values_[1] : values_[0];
    }
    throw InternalError("profile: unknown kind");
}

double Profile::next_change_after(double epoch_s) const {
    switch (kind_) {
    case Kind::constant: return infinity;
    case Kind::steps: {
        auto after = std::upper_bound(times_s_.begin(), times_s_.end(), epoch_s);
        // Before the first row the first value already holds, so the first change is the second row.
        if (after == times_s_.begin()) ++after;
        return after == times_s_.end() ? infinity : *after;
    }
    case Kind::monthly: return strictly_after(start_of_next_month(epoch_s, utc_offset_s_), epoch_s);
    case Kind::day_night: {
        const double second = local_second_of_day(epoch_s, utc_offset_s_);
        double next_s = infinity; // seconds from local midnight to the next switch, up to two days
        for (const int hour : {night_start_hour_, night_end_hour_}) {
            for (const double day_s : {0.0, seconds_per_day}) {
                const double switch_s = day_s + hour * 3600.0;
                if (switch_s > second) next_s = std::min(next_s, switch_s);
            }
        }
        return strictly_after(start_of_local_day(epoch_s, utc_offset_s_) + next_s, epoch_s);
    }
    }
    throw InternalError("profile: unknown kind");
}

} // namespace capsim::infra
