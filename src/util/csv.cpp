#include "capsim/util/csv.hpp"

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

} // namespace capsim
