#include "capsim/scenario/diagnostics.hpp"

namespace capsim::scenario {

std::string Diagnostic::format() const {
    std::string where = file;
    if (!origin.empty()) {
        where = origin;
    } else if (line > 0) {
        where += ":" + std::to_string(line) + ":" + std::to_string(column);
    }
    return where + (note ? ": note: " : ": error: ") + (key_path.empty() ? std::string() : key_path + ": ") + message;
}

std::string Diagnostics::format() const {
    std::string out;
    for (std::size_t i = 0; i < items_.size(); ++i) {
        if (i > 0) out += '\n';
        out += items_[i].format();
    }
    return out;
}

} // namespace capsim::scenario
