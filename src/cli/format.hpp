#pragma once
// Numbers as the command line prints them for people.
#include <cstddef>
#include <string>

namespace capsim::cli {

/// Thousands separated from 1,000 up (1,434,280), four significant digits below (0.4464).
std::string human(double value);
/// "1 site", "2 sites".
std::string plural(std::size_t n, const char* word);
/// A duration for a table cell, in the unit a reader takes in at once: "12 s", "4.5 min",
/// "38 min", "2.4 h", "3.1 d"; a dash when undefined.
std::string duration(double s);
/// A number with a printf format, a dash when undefined.
std::string number_or_dash(double x, const char* format);
/// human(), or a dash when undefined.
std::string human_or_dash(double x);

} // namespace capsim::cli
