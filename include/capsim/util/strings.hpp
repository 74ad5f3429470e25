#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

/// `s` without leading and trailing blanks (spaces, tabs, carriage returns).
std::string_view trim(std::string_view s);

/// Parses the whole of `s` as a finite decimal number; nullopt if anything is left over.
std::optional<double> parse_finite_double(std::string_view s);

/// Edit distance (optimal string alignment: a swap of neighbours is one edit), for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `word` if it is near enough to be a likely typo, else nullopt.
std::optional<std::string> nearest_name(std::string_view word, const std::vector<std::string>& candidates);

/// A number as people write it: no trailing zeros, no exponent for everyday magnitudes (1, 0.5, 1e+21).
std::string format_number(double value);

/// Names quoted and comma-separated, "'a', 'b', 'c'", for messages that list what exists.
std::string quoted_list(const std::vector<std::string>& names);

/// The lines of `text` (split at '\n'); an empty text has none.
std::vector<std::string> split_lines(std::string_view text);

/// The items with `separator` between them: join({"a", "b"}, ", ") is "a, b".
std::string join(const std::vector<std::string>& items, std::string_view separator);

/// Joins names as "a, b or c" for messages that list what is accepted.
std::string join_alternatives(const std::vector<std::string>& names);

} // namespace capsim
