#pragma once
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace capsim::infra {

/// A site quantity that varies over time (grid capacity in W, PUE, electricity price per MWh, carbon
/// intensity in g/kWh) as a piecewise-constant function of UTC epoch seconds: constant, steps from
/// given instants, one value per local calendar month, a day and a night value, or a time series.
///
/// Steps and series rows hold from their time until the next one's; the last holds forever. The data
/// must cover the simulation horizon, so their construction fails if the first row is after its start;
/// before the first row value_at returns the first value all the same. Values must be finite; the
/// factories throw std::invalid_argument for any that is not.
///
/// Example: day_night(150, 90, 22, 6, 0) is 90 from 22:00 to 06:00 UTC and 150 in between; its
/// integral over any 48 h starting at midnight is 2 * (16 * 150 + 8 * 90) = 6240 value-hours.
class Profile {
  public:
    static Profile constant(double value);

    /// (from_epoch_s, value) pairs, strictly increasing in time. Throws std::invalid_argument if
    /// they are empty, out of order or not finite, or if the first is after `horizon_start_s`.
    static Profile steps(std::vector<std::pair<double, double>> steps, double horizon_start_s);

    /// `values[0]` for January to `values[11]` for December, by local time (UTC + `utc_offset_s`).
    static Profile monthly(std::array<double, 12> values, double utc_offset_s);

    /// `night_value` from `night_start_hour`:00 to `night_end_hour`:00 local time, wrapping past
    /// midnight when start > end ([22, 6) is 22:00-06:00); `day_value` the rest of the day. Hours are
    /// whole, 0-23, and start != end; else std::invalid_argument.
    static Profile day_night(double day_value, double night_value, int night_start_hour, int night_end_hour,
                             double utc_offset_s);

    /// A time series of (epoch_s, value) rows, strictly increasing and at least 1 s apart, each value
    /// holding until the next row. Checked as for steps().
    static Profile series(std::vector<std::pair<double, double>> rows, double horizon_start_s);

    /// Reads a series from a CSV file with a header line: times from `time_column` (as
    /// parse_datetime accepts them, UTC), values from `value_column`. Throws IoError if the file
    /// cannot be read and InputError, naming the file and line, for bad content or data that starts
    /// after `horizon_start_s`.
    static Profile from_csv(const std::string& path, std::string_view time_column,
                            std::string_view value_column, double horizon_start_s);

    /// The same profile with every value multiplied by `factor` (finite), e.g. to convert a CSV
    /// column's unit to the base unit.
    Profile scaled(double factor) const;

    /// The value holding at `epoch_s`: for steps and series, that of the last row at or before it,
    /// so exactly at a row's time its new value holds. O(log rows).
    double value_at(double epoch_s) const;

    /// The first instant strictly after `epoch_s` at which the value may change; +infinity if never.
    /// Steps and series report only real changes (rows repeating the previous value are merged), but
    /// monthly and day/night profiles report every month start and every switch hour, even where the
    /// two values either side happen to be equal.
    double next_change_after(double epoch_s) const;

    /// Calls f(t0_s, t1_s, value) for consecutive pieces covering [from_s, to_s) on each of which the
    /// value is constant; nothing if to_s <= from_s.
    template <class F> void for_each_piece(double from_s, double to_s, F&& f) const {
        double t0_s = from_s;
        while (t0_s < to_s) {
            const double t1_s = std::min(next_change_after(t0_s), to_s);
            f(t0_s, t1_s, value_at(t0_s));
            t0_s = t1_s;
        }
    }

    /// The smallest and largest values the profile takes at any time, for validation (PUE >= 1).
    double min_value() const { return min_value_; }
    double max_value() const { return max_value_; }

    /// True if the value never changes: a constant, or any profile whose values are all equal.
    bool is_constant() const { return kind_ == Kind::constant; }

  private:
    enum class Kind { constant, steps, monthly, day_night };

    Profile(Kind kind, std::vector<double> values, std::vector<double> times_s = {});
    /// Checks the values, merges repeated steps, finds the extremes, and turns a profile of one value
    /// into a constant.
    void settle();
    static Profile from_rows(const std::vector<std::pair<double, double>>& rows, double horizon_start_s,
                             bool second_apart, const char* what);
    bool is_night(double epoch_s) const;

    Kind kind_;
    // constant: {value}; steps: one per time in times_s_; monthly: 12, January first; day_night: {day,
    // night}.
    std::vector<double> values_;
    std::vector<double> times_s_; // steps only: strictly increasing, values_[i] holds from times_s_[i]
    double utc_offset_s_ = 0;
    int night_start_hour_ = 0;
    int night_end_hour_ = 0;
    double min_value_ = 0;
    double max_value_ = 0;
};

} // namespace capsim::infra
