#include "yaml_syntax_error.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
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

/// The first unquoted key path with an index (`buildout[0].count`) on line `line` (1-based) of
/// `text`, as a position and the path: inside a flow mapping its '[' starts a list, so it must be
/// quoted. Nothing if the line has none.
std::optional<std::pair<int, std::string>> unquoted_indexed_path(std::string_view text, int line) {
    std::size_t begin = 0;
    for (int l = 1; l < line && begin != std::string_view::npos; ++l) {
        begin = text.find('\n', begin);
        if (begin != std::string_view::npos) ++begin;
    }
    if (begin == std::string_view::npos) return std::nullopt;
    const std::string_view row = text.substr(begin, text.find('\n', begin) - begin);
    const auto path_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '[' || c == ']';
    };
    char quote = 0;
    for (std::size_t i = 0; i + 2 < row.size(); ++i) {
        const char c = row[i];
        if (quote) {
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
            continue;
        }
        if (c == '#') break;
        const bool indexed = (std::isalpha(static_cast<unsigned char>(c)) || c == '_') && row[i + 1] == '[' &&
                             std::isdigit(static_cast<unsigned char>(row[i + 2]));
        if (!indexed) continue;
        std::size_t from = i, to = i + 1;
        while (from > 0 && path_char(row[from - 1])) --from;
        while (to < row.size() && path_char(row[to])) ++to;
        return std::pair{static_cast<int>(from) + 1, std::string(row.substr(from, to - from))};
    }
    return std::nullopt;
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
    if (error.msg.find("flow") != std::string::npos) {
        if (auto path = unquoted_indexed_path(text, d.line)) {
            d.column = path->first;
            d.message = "not valid YAML: inside { } a '[' starts a list, so the key path " + path->second +
                        " must be quoted: \"" + path->second + "\" (or write the entry in block style)";
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
