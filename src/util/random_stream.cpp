#include "capsim/util/random_stream.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "capsim/util/strings.hpp"

namespace capsim {
namespace {

// Random123's constants: the round multipliers and the Weyl sequence that bumps the key each round.
constexpr std::uint32_t philox_m0 = 0xD2511F53u;
constexpr std::uint32_t philox_m1 = 0xCD9E8D57u;
constexpr std::uint32_t philox_w0 = 0x9E3779B9u;
constexpr std::uint32_t philox_w1 = 0xBB67AE85u;

struct HiLo {
    std::uint32_t hi;
    std::uint32_t lo;
};

HiLo mulhilo(std::uint32_t a, std::uint32_t b) {
    const std::uint64_t product = std::uint64_t{a} * b;
    return {static_cast<std::uint32_t>(product >> 32), static_cast<std::uint32_t>(product)};
}

PhiloxCounter philox_round(const PhiloxCounter& x, const PhiloxKey& key) {
    const HiLo p0 = mulhilo(philox_m0, x[0]);
    const HiLo p1 = mulhilo(philox_m1, x[2]);
    return {p1.hi ^ x[1] ^ key[0], p1.lo, p0.hi ^ x[3] ^ key[1], p0.lo};
}

/// SplitMix64's output function (Steele, Lea and Flood, OOPSLA'14): a bijection of 64-bit words with
/// full avalanche, so nearby inputs (replications 0, 1, 2...) give unrelated outputs.
std::uint64_t splitmix64_mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace

PhiloxCounter philox4x32_10(PhiloxCounter counter, PhiloxKey key) {
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            key[0] += philox_w0;
            key[1] += philox_w1;
        }
        counter = philox_round(counter, key);
    }
    return counter;
}

PhiloxKey stream_key(const StreamId& id) {
    std::uint64_t h = 0;
    for (const std::uint64_t field : {id.seed, id.point, id.replication, id.stream}) {
        h = splitmix64_mix(h + 0x9E3779B97F4A7C15ull + field);
    }
    return {static_cast<std::uint32_t>(h), static_cast<std::uint32_t>(h >> 32)};
}

double open_unit_interval(std::uint64_t bits) {
    // (2k + 1) < 2^53 fits a double's mantissa, so the product is exact.
    return static_cast<double>(((bits >> 12) << 1) | 1u) * 0x1.0p-53;
}

RandomStream::RandomStream(StreamId id) : key_(stream_key(id)) {}

void RandomStream::refill() {
    block_ = philox4x32_10(counter_, key_);
    used_ = 0;
    // The counter is one 128-bit integer, word 0 least significant.
    for (auto& word : counter_) {
        if (++word != 0) break;
    }
}

std::uint64_t RandomStream::next_u64() {
    if (used_ >= 4) refill();
    const std::uint64_t low = block_[used_];
    const std::uint64_t high = block_[used_ + 1];
    used_ += 2;
    return (high << 32) | low;
}

double RandomStream::uniform() {
    return open_unit_interval(next_u64());
}

double RandomStream::uniform(double low, double high) {
    if (!std::isfinite(low) || !std::isfinite(high) || high < low) {
        throw std::invalid_argument("uniform(" + format_number(low) + ", " + format_number(high) +
                                    "): the bounds must be finite and in order");
    }
    return low + (high - low) * uniform();
}

double RandomStream::exponential(double rate_per_unit) {
    if (!std::isfinite(rate_per_unit) || rate_per_unit <= 0) {
        throw std::invalid_argument("exponential: the rate must be positive and finite, not " +
                                    format_number(rate_per_unit));
    }
    return -std::log(uniform()) / rate_per_unit;
}

double RandomStream::normal() {
    if (has_spare_normal_) {
        has_spare_normal_ = false;
        return spare_normal_;
    }
    // u1 is never 0, so the radius is finite.
    const double radius = std::sqrt(-2.0 * std::log(uniform()));
    const double angle = 2.0 * std::numbers::pi * uniform();
    spare_normal_ = radius * std::sin(angle);
    has_spare_normal_ = true;
    return radius * std::cos(angle);
}

std::size_t RandomStream::index(std::size_t n) {
    if (n == 0) throw std::invalid_argument("index(0): there is no integer in [0, 0)");
    const std::uint64_t bound = n;
    // 2^64 mod n words at the bottom would make the low remainders one draw more likely; skip them.
    const std::uint64_t threshold = (0 - bound) % bound;
    while (true) {
        const std::uint64_t x = next_u64();
        if (x >= threshold) return static_cast<std::size_t>(x % bound);
    }
}

} // namespace capsim
