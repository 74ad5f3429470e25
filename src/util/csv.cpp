#include "capsim/util/csv.hpp"

#include "capsim/util/error.hpp"
#include "capsim/util/strings.hpp"

namespace capsim {

std::vector<std::string_view> split_csv_line(std::string_view line) {
    std::vector<std::string_view> fields;
    while (true) {
        const auto comma = line.find(',');
        fields.push_back(trim(line.substr(0, comma)));
        if (comma == std::string_view::npos) return fields;
        line.remove_prefix(comma + 1);
    }
}

std::vector<std::string> read_csv_header(std::istream& in, std::size_t& line_number, const std::string& path) {
    std::string line;
    std::vector<std::string> columns;
    while (columns.empty() && std::getline(in, line)) {
        ++line_number;
        std::string_view header = line;
        if (line_number == 1 && header.starts_with("\xEF\xBB\xBF")) header.remove_prefix(3); // spreadsheets' BOM
        if (trim(header).empty()) continue;
        for (const auto field : split_csv_line(header)) columns.emplace_back(field);
    }
    if (columns.empty() && !in.bad()) throw InputError(path + ": the file is empty; expected a header line");
    return columns;
}

} // namespace capsim
