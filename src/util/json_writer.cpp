#include "capsim/util/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace capsim {

std::string json_quote(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                out += escaped;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

void JsonObject::add_key(std::string_view key) {
    if (!body_.empty()) body_ += ", ";
    body_ += json_quote(key);
    body_ += ": ";
}

JsonObject& JsonObject::add_json(std::string_view key, std::string_view json) {
    add_key(key);
    body_ += json;
    return *this;
}

JsonObject& JsonObject::add(std::string_view key, double value) {
    add_key(key);
    if (!std::isfinite(value)) {
        body_ += "null";
        return *this;
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value); // shortest round-trip form
    body_.append(buffer, result.ptr);
    return *this;
}

JsonObject& JsonObject::add(std::string_view key, std::int64_t value) {
    add_key(key);
    body_ += std::to_string(value);
    return *this;
}

JsonObject& JsonObject::add(std::string_view key, std::uint64_t value) {
    add_key(key);
    body_ += std::to_string(value);
    return *this;
}

JsonObject& JsonObject::add(std::string_view key, std::string_view value) {
    add_key(key);
    body_ += json_quote(value);
    return *this;
}

} // namespace capsim
