#include "format.hpp"

#include <cmath>
#include <cstdio>

namespace capsim::cli {

/// A number for a person: thousands separated from 1,000 up, four significant digits below.
std::string human(double value) {
    char buffer[64];
    if (std::fabs(value) >= 1e3) {
        std::snprintf(buffer, sizeof buffer, "%.0f", std::fabs(value));
        std::string digits = buffer, grouped;
        for (std::size_t i = 0; i < digits.size(); ++i) {
            if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
            grouped += digits[i];
        }
        return (value < 0 ? "-" : "") + grouped;
    }
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
    return buffer;
}

std::string plural(std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

/// Seconds for a table cell; a dash when undefined (no job started).
std::string duration(double s) {
    if (!std::isfinite(s)) return "-";
    char buffer[32];
    if (s < 59.5) std::snprintf(buffer, sizeof buffer, "%.0f s", s);
    else if (s < 599.5) std::snprintf(buffer, sizeof buffer, "%.1f min", s / 60);
    else if (s < 3600) std::snprintf(buffer, sizeof buffer, "%.0f min", s / 60);
    else if (s < 86400) std::snprintf(buffer, sizeof buffer, "%.1f h", s / 3600);
    else std::snprintf(buffer, sizeof buffer, "%.1f d", s / 86400);
    return buffer;
}

std::string number_or_dash(double x, const char* format) {
    if (!std::isfinite(x)) return "-";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, format, x);
    return buffer;
}

std::string human_or_dash(double x) { return std::isfinite(x) ? human(x) : "-"; }

} // namespace capsim::cli
