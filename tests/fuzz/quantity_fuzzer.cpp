// The unit and date parsers: every dimension's quantities, dates and times. Besides not crashing,
// what they accept must be finite, and a date they accept must print back as itself.
#include <cmath>
#include <cstdlib>
#include <string>

#include "capsim/scenario/units.hpp"
#include "capsim/util/calendar.hpp"
#include "capsim/util/strings.hpp"
#include "fuzz_support.hpp"

using capsim::scenario::Dimension;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(capsim::fuzz::as_text(data, size));
    capsim::scenario::Currency currency;
    currency.rates = {{"EUR", 1.1}, {"ILS", 0.27}};
    for (const Dimension d : {Dimension::duration, Dimension::power, Dimension::energy_price,
                              Dimension::carbon_intensity, Dimension::money, Dimension::fraction}) {
        try {
            const double value = capsim::scenario::parse_quantity(text, d, currency);
            if (!std::isfinite(value)) std::abort(); // the parser promises finite numbers
        } catch (const capsim::scenario::UnitError&) {
        }
    }
    (void)capsim::impossible_date(text);
    if (const auto epoch_s = capsim::parse_datetime(text)) {
        // A day that parses is a real day: it prints back as the date it was read from.
        if (capsim::format_date(*epoch_s) != capsim::trim(text).substr(0, 10)) std::abort();
    }
    return 0;
}
