#pragma once
#include <string_view>
#include <vector>

namespace capsim {

/// The fields of one line of a comma-separated file, each trimmed. No quoting: capsim's CSV inputs
/// (profiles, empirical distributions, job traces) hold dates, names and numbers only.
std::vector<std::string_view> split_csv_line(std::string_view line);

} // namespace capsim
