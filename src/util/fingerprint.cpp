#include "capsim/util/fingerprint.hpp"

#include <cstdio>

namespace capsim {

void Fingerprint::feed(std::string_view text) {
    constexpr std::uint64_t prime = 0x100000001b3ULL;
    for (unsigned char c : text) {
        h_ ^= c;
        h_ *= prime;
    }
    h_ ^= 0xff;
    h_ *= prime;
}

std::string Fingerprint::hex() const {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h_));
    return text;
}

} // namespace capsim
