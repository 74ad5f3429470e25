#pragma once
/// A short fingerprint of several texts (FNV-1a, 64 bits): what identifies a study or a plan, so that
/// runs, shards, parts and journals of the same one are recognised. Not cryptographic.

#include <cstdint>
#include <string>
#include <string_view>

namespace capsim {

class Fingerprint {
public:
    /// Adds `text`, then a separator, so that ("ab", "c") and ("a", "bc") differ.
    void feed(std::string_view text);
    /// 16 hex digits.
    std::string hex() const;

private:
    std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

} // namespace capsim
