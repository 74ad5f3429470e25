#pragma once
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

/// The fields of one line of a comma-separated file, each trimmed. No quoting: capsim's CSV inputs
/// (profiles, empirical distributions, job traces) hold dates, names and numbers only.
std::vector<std::string_view> split_csv_line(std::string_view line);

/// Reads the header line of a CSV file (skipping blank lines and a spreadsheet's byte-order mark),
/// counting lines in `line_number`; an empty file is an InputError naming `path`.
std::vector<std::string> read_csv_header(std::istream& in, std::size_t& line_number, const std::string& path);

} // namespace capsim
