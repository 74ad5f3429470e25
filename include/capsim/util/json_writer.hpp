#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace capsim {

/// Builds one flat JSON object, keys in insertion order. Doubles are written so that they read back
/// to the same value; NaN and infinities, which JSON lacks, become null.
class JsonObject {
public:
    JsonObject& add(std::string_view key, double value);
    JsonObject& add(std::string_view key, std::int64_t value);
    JsonObject& add(std::string_view key, std::uint64_t value);
    JsonObject& add(std::string_view key, std::string_view value);
    JsonObject& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
    /// A value that is already JSON: a nested object or an array.
    JsonObject& add_json(std::string_view key, std::string_view json);
    std::string str() const { return "{" + body_ + "}"; }

private:
    void add_key(std::string_view key);
    std::string body_;
};

/// `text` as a JSON string literal, quotes included.
std::string json_quote(std::string_view text);

} // namespace capsim
