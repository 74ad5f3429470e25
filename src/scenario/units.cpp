#include "capsim/scenario/units.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "capsim/util/strings.hpp"

namespace capsim::scenario {
namespace {

/// A unit's spelling and how many base units one of it is.
struct UnitFactor {
    std::string name;
    double factor;
};

/// Energy prices are per MWh, so a price per kWh is a thousand times larger per MWh.
const std::vector<UnitFactor> energy_units = {{"MWh", 1.0}, {"kWh", 1000.0}};

const std::vector<UnitFactor>& fixed_units(Dimension dimension) {
    static const std::vector<UnitFactor> duration = {
        {"s", 1.0}, {"min", 60.0}, {"h", 3600.0}, {"d", 86400.0}, {"w", 604800.0}, {"y", 365.25 * 86400.0}};
    static const std::vector<UnitFactor> power = {{"W", 1.0}, {"kW", 1e3}, {"MW", 1e6}, {"GW", 1e9}};
    // g/kWh and kg/MWh are the same ratio; kg/kWh and t/MWh are a thousand times it.
    static const std::vector<UnitFactor> carbon = {
        {"g/kWh", 1.0}, {"kg/MWh", 1.0}, {"kg/kWh", 1000.0}, {"t/MWh", 1000.0}};
    static const std::vector<UnitFactor> fraction = {{"%", 0.01}};
    static const std::vector<UnitFactor> none;
    switch (dimension) {
    case Dimension::duration: return duration;
    case Dimension::power: return power;
    case Dimension::carbon_intensity: return carbon;
    case Dimension::fraction: return fraction;
    case Dimension::energy_price:
    case Dimension::money: break;
    }
    return none;
}

/// The scenario currency first, then the others in the rates map's order.
std::vector<std::string> currency_codes(const Currency& currency) {
    std::vector<std::string> codes{currency.code};
    for (const auto& [code, rate] : currency.rates) {
        if (code != currency.code) codes.push_back(code);
    }
    return codes;
}

/// The worth of one `code` in the scenario currency, or nullopt if there is no rate for it.
std::optional<double> currency_rate(std::string_view code, const Currency& currency) {
    if (code == currency.code) return 1.0;
    const auto it = currency.rates.find(std::string(code));
    if (it == currency.rates.end()) return std::nullopt;
    if (!std::isfinite(it->second) || it->second <= 0) {
        throw std::invalid_argument("exchange rate for '" + it->first + "' must be a positive number");
    }
    return it->second;
}

std::vector<std::string> unit_names(Dimension dimension, const Currency& currency) {
    std::vector<std::string> names;
    if (dimension == Dimension::energy_price) {
        for (const auto& code : currency_codes(currency)) {
            for (const auto& per : energy_units) names.push_back(code + "/" + per.name);
        }
    } else if (dimension == Dimension::money) {
        names = currency_codes(currency);
    } else {
        for (const auto& unit : fixed_units(dimension)) names.push_back(unit.name);
    }
    return names;
}

std::string comma_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

std::string plain_alternatives(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
        out += names[i];
    }
    return out;
}

/// "a power like '12 MW' (units: W, kW, MW, GW)": what a well-formed value looks like.
std::string expectation(Dimension dimension, const Currency& currency) {
    std::string example;
    switch (dimension) {
    case Dimension::duration: example = "a duration like '26w'"; break;
    case Dimension::power: example = "a power like '12 MW'"; break;
    case Dimension::energy_price: example = "a price like '140 " + currency.code + "/MWh'"; break;
    case Dimension::carbon_intensity: example = "a carbon intensity like '520 g/kWh'"; break;
    case Dimension::money: example = "an amount like '350000 " + currency.code + "'"; break;
    case Dimension::fraction: return "a fraction like '0.7' or '70%'";
    }
    return example + " (units: " + comma_list(unit_names(dimension, currency)) + ")";
}

bool is_currency_like(std::string_view code) {
    if (code.empty()) return false;
    for (const char c : code) {
        if (!std::isupper(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

struct NumberAndUnit {
    double value;
    std::string_view unit;
};

/// Splits "12 MW" into 12 and "MW"; nullopt unless the text starts with a finite number that is
/// followed by nothing, or by a unit (which starts with a letter or '%').
std::optional<NumberAndUnit> split_number(std::string_view text) {
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (first != last && *first == '+') {
        ++first; // from_chars rejects a leading '+', which people do write
        if (first != last && *first == '-') return std::nullopt;
    }
    double value = 0;
    const auto [end, error] = std::from_chars(first, last, value);
    if (error != std::errc{} || !std::isfinite(value)) return std::nullopt;
    const std::string_view unit = trim(std::string_view(end, static_cast<std::size_t>(last - end)));
    // "1,000 MW" or "1.2.3 W" would otherwise read as 1 with the unit ",000 MW": it is the number that is
    // wrong.
    if (!unit.empty() && !std::isalpha(static_cast<unsigned char>(unit.front())) && unit.front() != '%') {
        return std::nullopt;
    }
    return NumberAndUnit{value, unit};
}

[[noreturn]] void throw_unknown_unit(std::string_view text, std::string_view unit, Dimension dimension,
                                     const Currency& currency) {
    const std::string quoted = "'" + std::string(text) + "'";
    if (dimension == Dimension::fraction) {
        throw UnitError(quoted + " has an unknown unit '" + std::string(unit) + "'; expected " +
                        expectation(dimension, currency));
    }
    std::string message = quoted + " has an unknown unit '" + std::string(unit) + "'; expected " +
                          std::string(describe(dimension)) + " in " + accepted_units(dimension, currency);
    if (auto near = nearest_name(unit, unit_names(dimension, currency))) message += "; did you mean '" + *near + "'?";
    throw UnitError(message);
}

[[noreturn]] void throw_unknown_currency(std::string_view text, std::string_view code,
                                         const Currency& currency) {
    throw UnitError("'" + std::string(text) + "' has an unknown currency '" + std::string(code) +
                    "'; expected " + plain_alternatives(currency_codes(currency)) +
                    " (other currencies need an exchange rate)");
}

double parse_energy_price(std::string_view text, double value, std::string_view unit,
                          const Currency& currency) {
    const auto slash = unit.find('/');
    if (slash != std::string_view::npos) {
        const std::string_view code = unit.substr(0, slash);
        const std::string_view per = unit.substr(slash + 1);
        for (const auto& energy : energy_units) {
            if (per != energy.name) continue;
            if (const auto rate = currency_rate(code, currency)) return value * *rate * energy.factor;
            if (is_currency_like(code)) throw_unknown_currency(text, code, currency);
        }
    }
    throw_unknown_unit(text, unit, Dimension::energy_price, currency);
}

double parse_money(std::string_view text, double value, std::string_view unit, const Currency& currency) {
    if (unit.empty()) return value; // a bare amount is in the scenario currency
    if (const auto rate = currency_rate(unit, currency)) return value * *rate;
    if (is_currency_like(unit)) throw_unknown_currency(text, unit, currency);
    throw_unknown_unit(text, unit, Dimension::money, currency);
}

double in_base_unit(std::string_view text, double value, std::string_view unit, Dimension dimension,
                    const Currency& currency) {
    if (dimension == Dimension::money) return parse_money(text, value, unit, currency);
    if (unit.empty()) {
        if (dimension == Dimension::fraction) return value;
        throw UnitError("'" + std::string(text) + "' has no unit; expected " +
                        expectation(dimension, currency));
    }
    if (dimension == Dimension::energy_price) return parse_energy_price(text, value, unit, currency);
    for (const auto& known : fixed_units(dimension)) {
        if (unit == known.name) return value * known.factor;
    }
    throw_unknown_unit(text, unit, dimension, currency);
}

} // namespace

std::string_view describe(Dimension dimension) {
    switch (dimension) {
    case Dimension::duration: return "a duration";
    case Dimension::power: return "a power";
    case Dimension::energy_price: return "an energy price";
    case Dimension::carbon_intensity: return "a carbon intensity";
    case Dimension::money: return "an amount of money";
    case Dimension::fraction: return "a fraction";
    }
    return "a quantity";
}

std::string accepted_units(Dimension dimension, const Currency& currency) {
    if (dimension == Dimension::fraction) return "no unit or %";
    return plain_alternatives(unit_names(dimension, currency));
}

double parse_quantity(std::string_view text, Dimension dimension, const Currency& currency) {
    text = trim(text);
    const auto parsed = split_number(text);
    if (!parsed) {
        throw UnitError("'" + std::string(text) + "' is not a number with a unit; expected " +
                        expectation(dimension, currency));
    }
    const double result = in_base_unit(text, parsed->value, parsed->unit, dimension, currency);
    if (!std::isfinite(result)) throw UnitError("'" + std::string(text) + "' is too large");
    if (dimension == Dimension::duration && result < 0) {
        throw UnitError("'" + std::string(text) + "': durations cannot be negative");
    }
    return result + 0.0; // turns -0 into 0, which prints without a sign
}

} // namespace capsim::scenario
