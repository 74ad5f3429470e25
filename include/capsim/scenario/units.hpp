#pragma once
/// Quantities with units as scenario files write them: "26w", "12 MW", "140 USD/MWh", "520 g/kWh",
/// "350000 USD", "70%". Each is returned as a double in its dimension's base unit, so the rest of
/// capsim never sees a unit again.

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace capsim::scenario {

/// What a quantity measures, and so which units it may carry and what base unit it is returned in:
/// duration in seconds, power in watts, energy_price in scenario currency per MWh, carbon_intensity
/// in g/kWh, money in scenario currency, fraction as a plain number (70% = 0.7).
enum class Dimension { duration, power, energy_price, carbon_intensity, money, fraction };

/// The scenario's currency and the exchange rates of the other currencies that prices may be
/// written in.
struct Currency {
    std::string code = "USD";
    /// 1 unit of the key currency is worth `rate` units of `code`. `code` itself is always 1, whatever
    /// this map says for it. Rates must be positive and finite (the scenario loader checks them).
    std::map<std::string, double> rates;
};

/// A quantity that is not a number, or whose unit is missing, unknown or of another dimension.
/// what() is the whole message for the user, quoting the text; the caller adds where it was found.
struct UnitError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Parses `text` (a number, optionally a space, then a unit) as a quantity of `dimension`, returned
/// in the dimension's base unit. Units are case-sensitive (mW is not MW) and only these are accepted:
///   duration:          s, min, h, d, w, y (y = 365.25 d; months are not accepted, their length varies)
///   power:             W, kW, MW, GW
///   energy_price:      CUR/MWh, CUR/kWh, CUR being `currency.code` or a key of `currency.rates`
///   carbon_intensity:  g/kWh, kg/MWh (the same), kg/kWh, t/MWh
///   money:             a bare number (the scenario currency) or CUR as above
///   fraction:          a bare number, or a percentage ("70%" = 0.7)
/// Every other dimension needs a unit: a bare "12" could be watts or megawatts. Negative values are
/// returned for the caller to judge, except durations, which cannot be negative. Throws UnitError
/// (NaN and infinity are not numbers here).
double parse_quantity(std::string_view text, Dimension dimension, const Currency& currency = {});

/// "a duration", "a power", "an energy price", "a carbon intensity", "an amount of money", "a fraction".
std::string_view describe(Dimension dimension);

/// The units accepted for `dimension`, for messages: "s, min, h, d, w or y".
std::string accepted_units(Dimension dimension, const Currency& currency = {});

} // namespace capsim::scenario
