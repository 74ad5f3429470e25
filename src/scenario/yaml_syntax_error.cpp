#include "yaml_syntax_error.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace capsim::scenario::detail {
namespace {

struct TextPosition {
    int line = 0;   // 1-based
    int column = 0; // 1-based
    char bracket = 0;
};

/// The innermost '{' or '[' that is never closed, ignoring quoted text and comments. yaml-cpp reports
/// an unclosed flow collection where it gave up (often past the end of the file); the opening
/// bracket is where the user must look.
std::optional<TextPosition> unclosed_bracket(std::string_view text) {
    std::vector<TextPosition> open;
    int line = 1, column = 0;
    char quote = 0;
    bool comment = false;
    char previous = '\n';
    for (const char c : text) {
        ++column;
        if (c == '\n') {
            ++line;
            column = 0;
            comment = false;
            quote = 0; // flow scalars rarely span lines in scenarios; do not let one quote hide the rest
        } else if (comment) {
        } else if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#' && (previous == ' ' || previous == '\t' || previous == '\n')) {
            comment = true;
        } else if (c == '{' || c == '[') {
            open.push_back({line, column, c});
        } else if ((c == '}' || c == ']') && !open.empty()) {
            open.pop_back();
        }
        previous = c;
    }
    if (open.empty()) return std::nullopt;
    return open.back();
}

} // namespace

Diagnostic yaml_syntax_error(const YAML::ParserException& error, std::string_view text, const std::string& source) {
    Diagnostic d;
    d.file = source;
    d.line = error.mark.line + 1;
    d.column = error.mark.column + 1;
    d.message = "not valid YAML: " + error.msg;
    const bool unclosed = error.msg.find("end of map flow not found") != std::string::npos ||
                          error.msg.find("end of sequence flow not found") != std::string::npos;
    if (unclosed) {
        if (auto at = unclosed_bracket(text)) {
            d.line = at->line;
            d.column = at->column;
            d.message = at->bracket == '{'
                            ? "not valid YAML: the '{' here is never closed, expected a '}' to end the mapping"
                            : "not valid YAML: the '[' here is never closed, expected a ']' to end the list";
            return d;
        }
    }
    // Never point past the last line of the file.
    const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
                      (text.empty() || text.back() == '\n' ? 0 : 1);
    if (d.line > lines && lines > 0) {
        d.line = lines;
        d.column = 1;
    }
    return d;
}

} // namespace capsim::scenario::detail
