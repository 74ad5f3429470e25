#include "capsim/scenario/units.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace capsim::scenario {
namespace {

Currency usd_with_eur() {
    Currency currency;
    currency.rates["EUR"] = 1.1;
    return currency;
}

std::string error_of(std::string_view text, Dimension dimension, const Currency& currency = {}) {
    try {
        const double value = parse_quantity(text, dimension, currency);
        return "no error, value " + std::to_string(value);
    } catch (const UnitError& e) {
        return e.what();
    }
}

TEST(Units, Durations) {
    EXPECT_EQ(parse_quantity("30s", Dimension::duration), 30.0);
    EXPECT_EQ(parse_quantity("5 min", Dimension::duration), 300.0);
    EXPECT_EQ(parse_quantity("2h", Dimension::duration), 7200.0);
    EXPECT_EQ(parse_quantity("1.5 h", Dimension::duration), 5400.0);
    EXPECT_EQ(parse_quantity("3d", Dimension::duration), 3 * 86400.0);
    EXPECT_EQ(parse_quantity("26w", Dimension::duration), 26 * 7 * 86400.0);
    EXPECT_EQ(parse_quantity("1 y", Dimension::duration), 365.25 * 86400.0);
    EXPECT_EQ(parse_quantity("  2h\t", Dimension::duration), 7200.0);
    EXPECT_EQ(parse_quantity("+2h", Dimension::duration), 7200.0);
    EXPECT_EQ(parse_quantity("1e3s", Dimension::duration), 1000.0);
    const double zero = parse_quantity("-0s", Dimension::duration);
    EXPECT_EQ(zero, 0.0);
    EXPECT_FALSE(std::signbit(zero));
}

TEST(Units, Powers) {
    EXPECT_EQ(parse_quantity("500W", Dimension::power), 500.0);
    EXPECT_EQ(parse_quantity("12 kW", Dimension::power), 12e3);
    EXPECT_EQ(parse_quantity("12 MW", Dimension::power), 12e6);
    EXPECT_EQ(parse_quantity("12MW", Dimension::power), 12e6);
    EXPECT_EQ(parse_quantity("1.5 GW", Dimension::power), 1.5e9);
    EXPECT_EQ(parse_quantity("-3 MW", Dimension::power), -3e6); // the caller judges the sign
}

TEST(Units, EnergyPrices) {
    EXPECT_EQ(parse_quantity("140 USD/MWh", Dimension::energy_price), 140.0);
    EXPECT_EQ(parse_quantity("140USD/MWh", Dimension::energy_price), 140.0);
    EXPECT_DOUBLE_EQ(parse_quantity("0.14 USD/kWh", Dimension::energy_price), 140.0);
    EXPECT_EQ(parse_quantity("-20 USD/MWh", Dimension::energy_price), -20.0); // negative prices happen
}

TEST(Units, EnergyPricesInOtherCurrencies) {
    const Currency currency = usd_with_eur();
    EXPECT_DOUBLE_EQ(parse_quantity("140 EUR/MWh", Dimension::energy_price, currency), 154.0);
    EXPECT_DOUBLE_EQ(parse_quantity("140EUR/MWh", Dimension::energy_price, currency), 154.0);
    EXPECT_DOUBLE_EQ(parse_quantity("0.1 EUR/kWh", Dimension::energy_price, currency), 110.0);
    EXPECT_EQ(parse_quantity("140 USD/MWh", Dimension::energy_price, currency), 140.0);

    Currency euro;
    euro.code = "EUR";
    euro.rates["EUR"] = 2.0; // ignored: the scenario currency is worth 1 of itself
    EXPECT_EQ(parse_quantity("140 EUR/MWh", Dimension::energy_price, euro), 140.0);
    EXPECT_EQ(
        error_of("140 USD/MWh", Dimension::energy_price, euro),
        "'140 USD/MWh' has an unknown currency 'USD'; expected EUR (other currencies need an exchange rate)");
}

TEST(Units, CarbonIntensities) {
    EXPECT_EQ(parse_quantity("520 g/kWh", Dimension::carbon_intensity), 520.0);
    EXPECT_EQ(parse_quantity("520g/kWh", Dimension::carbon_intensity), 520.0);
    EXPECT_EQ(parse_quantity("520 kg/MWh", Dimension::carbon_intensity), 520.0);
    EXPECT_DOUBLE_EQ(parse_quantity("0.52 kg/kWh", Dimension::carbon_intensity), 520.0);
    EXPECT_DOUBLE_EQ(parse_quantity("0.52 t/MWh", Dimension::carbon_intensity), 520.0);
}

TEST(Units, Money) {
    EXPECT_EQ(parse_quantity("350000", Dimension::money), 350000.0);
    EXPECT_EQ(parse_quantity("350000 USD", Dimension::money), 350000.0);
    EXPECT_EQ(parse_quantity("350000USD", Dimension::money), 350000.0);
    const Currency currency = usd_with_eur();
    EXPECT_DOUBLE_EQ(parse_quantity("1.2e6 EUR", Dimension::money, currency), 1.32e6);
    EXPECT_DOUBLE_EQ(parse_quantity("1.2e6EUR", Dimension::money, currency), 1.32e6);
}

TEST(Units, Fractions) {
    EXPECT_EQ(parse_quantity("0.7", Dimension::fraction), 0.7);
    EXPECT_DOUBLE_EQ(parse_quantity("70%", Dimension::fraction), 0.7);
    EXPECT_DOUBLE_EQ(parse_quantity("70 %", Dimension::fraction), 0.7);
    EXPECT_EQ(parse_quantity("100%", Dimension::fraction), 1.0);
    EXPECT_DOUBLE_EQ(parse_quantity("-5%", Dimension::fraction), -0.05);
}

TEST(Units, ErrorMessages) {
    EXPECT_EQ(error_of("12 MV", Dimension::power),
              "'12 MV' has an unknown unit 'MV'; expected a power in W, kW, MW or GW; did you mean 'MW'?");
    EXPECT_EQ(error_of("12 mw", Dimension::power),
              "'12 mw' has an unknown unit 'mw'; expected a power in W, kW, MW or GW");
    EXPECT_EQ(
        error_of("fast", Dimension::duration),
        "'fast' is not a number with a unit; expected a duration like '26w' (units: s, min, h, d, w, y)");
    EXPECT_EQ(error_of("3 mo", Dimension::duration),
              "'3 mo' has an unknown unit 'mo'; expected a duration in s, min, h, d, w or y");
    EXPECT_EQ(error_of("-5h", Dimension::duration), "'-5h': durations cannot be negative");
    EXPECT_EQ(error_of("12", Dimension::power),
              "'12' has no unit; expected a power like '12 MW' (units: W, kW, MW, GW)");
    EXPECT_EQ(error_of("140", Dimension::energy_price),
              "'140' has no unit; expected a price like '140 USD/MWh' (units: USD/MWh, USD/kWh)");
    EXPECT_EQ(error_of("140 USD/MW", Dimension::energy_price),
              "'140 USD/MW' has an unknown unit 'USD/MW'; expected an energy price in USD/MWh or USD/kWh; did you mean 'USD/MWh'?");
    EXPECT_EQ(
        error_of("140 GBP/MWh", Dimension::energy_price, usd_with_eur()),
        "'140 GBP/MWh' has an unknown currency 'GBP'; expected USD or EUR (other currencies need an exchange "
        "rate)");
    EXPECT_EQ(error_of("5 dollars", Dimension::money),
              "'5 dollars' has an unknown unit 'dollars'; expected an amount of money in USD");
    EXPECT_EQ(
        error_of("520 g/MWh", Dimension::carbon_intensity),
        "'520 g/MWh' has an unknown unit 'g/MWh'; expected a carbon intensity in g/kWh, kg/MWh, kg/kWh or "
        "t/MWh; did you mean 'g/kWh'?");
    EXPECT_EQ(error_of("0.7x", Dimension::fraction),
              "'0.7x' has an unknown unit 'x'; expected a fraction like '0.7' or '70%'");
    EXPECT_EQ(error_of("", Dimension::money),
              "'' is not a number with a unit; expected an amount like '350000 USD' (units: USD)");
    EXPECT_EQ(error_of("12 W", Dimension::duration),
              "'12 W' has an unknown unit 'W'; expected a duration in s, min, h, d, w or y");
}

TEST(Units, RejectsWhatIsNotAFiniteNumber) {
    for (const char* bad : {"nan", "nan W", "inf", "inf W", "-inf W", "infinity W", "MW", "1,000 MW",
                            "1.2.3 W", "1e400 W", "+-3 W", "twelve MW"}) {
        EXPECT_NE(error_of(bad, Dimension::power).find("is not a number with a unit"), std::string::npos)
            << bad;
    }
    EXPECT_EQ(error_of("1e308 GW", Dimension::power), "'1e308 GW' is too large");
}

TEST(Units, DescribesDimensions) {
    EXPECT_EQ(describe(Dimension::duration), "a duration");
    EXPECT_EQ(describe(Dimension::power), "a power");
    EXPECT_EQ(describe(Dimension::energy_price), "an energy price");
    EXPECT_EQ(describe(Dimension::carbon_intensity), "a carbon intensity");
    EXPECT_EQ(describe(Dimension::money), "an amount of money");
    EXPECT_EQ(describe(Dimension::fraction), "a fraction");
    EXPECT_EQ(accepted_units(Dimension::duration), "s, min, h, d, w or y");
    EXPECT_EQ(accepted_units(Dimension::energy_price, usd_with_eur()),
              "USD/MWh, USD/kWh, EUR/MWh or EUR/kWh");
    EXPECT_EQ(accepted_units(Dimension::money, usd_with_eur()), "USD or EUR");
    EXPECT_EQ(accepted_units(Dimension::fraction), "no unit or %");
}

} // namespace
} // namespace capsim::scenario
