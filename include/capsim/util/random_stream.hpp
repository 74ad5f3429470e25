#pragma once
/// Reproducible random numbers for stochastic replications. Every replication draws from its own
/// stream, named by (scenario seed, sweep point, replication index, stream index) and nothing else,
/// so a result does not depend on the number of threads or ranks or on the order replications run in;
/// each workload takes its own stream index, so adding a workload leaves the draws of the others alone.

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace capsim {

/// The name of one random stream. Streams whose names differ in any field are independent.
struct StreamId {
    std::uint64_t seed = 0;        // the scenario's seed
    std::uint64_t point = 0;       // the sweep point
    std::uint64_t replication = 0; // the replication index within the point
    std::uint64_t stream = 0;      // which consumer within the replication (one per workload)
};

using PhiloxCounter = std::array<std::uint32_t, 4>;
using PhiloxKey = std::array<std::uint32_t, 2>;

/// One block of the Philox4x32-10 counter-based generator (Salmon, Moraes, Dror and Shaw, "Parallel
/// random numbers: as easy as 1, 2, 3", SC'11), bit for bit as Random123's philox4x32_10: four
/// 32-bit words that are a bijective scramble of `counter` under `key`. Example: counter {0, 0, 0, 0}
/// and key {0, 0} give {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}.
PhiloxCounter philox4x32_10(PhiloxCounter counter, PhiloxKey key);

/// The Philox key of a stream: the SplitMix64 finalizer applied field after field,
/// h = mix(h + 0x9E3779B97F4A7C15 + field) from h = 0 over seed, point, replication and stream, low
/// 32 bits first. Each step is a bijection of h for a fixed field and of the field for a fixed h, so
/// two ids that differ in one field alone always get different keys.
PhiloxKey stream_key(const StreamId& id);

/// The double in (0, 1) that RandomStream::uniform() makes of 64 random bits: the top 52 bits k give
/// (2k + 1) / 2^53, the centre of one of 2^52 equal cells, so neither 0 nor 1 can come out (log(u)
/// is always finite). Example: bits 0 give 2^-53, all ones give 1 - 2^-53. A 53-bit grid offset by
/// half a cell would not do: its top value 1 - 2^-54 is not a double and rounds to 1.
double open_unit_interval(std::uint64_t bits);

/// A stream of random numbers: Philox4x32-10 keyed by stream_key(id) and run over a 128-bit counter
/// from 0, each block giving two 64-bit words (the block's words 0 and 1 make the first, word 0 its
/// low half; words 2 and 3 the second). Cheap to create, a few dozen bytes, and deterministic given
/// its id; a copy continues the same sequence independently of the original.
class RandomStream {
  public:
    explicit RandomStream(StreamId id);

    std::uint64_t next_u64();

    /// Uniform in (0, 1), never exactly 0 or 1: open_unit_interval(next_u64()).
    double uniform();

    /// Uniform in [low, high] (the ends only by rounding); std::invalid_argument unless
    /// low <= high, both finite.
    double uniform(double low, double high);

    /// Exponentially distributed with the given rate (> 0, finite; else std::invalid_argument), by
    /// inverse transform: -log(u) / rate, so the mean is 1 / rate. Example: rate 2 per hour gives
    /// gaps of 0.5 h on average.
    double exponential(double rate_per_unit);

    /// Standard normal, by the Box-Muller transform: each pair of uniforms gives two values, the
    /// second kept for the next call (so a copy taken between the two continues identically).
    double normal();

    /// A uniform integer in [0, n), unbiased: draws whose remainder would favour small values are
    /// rejected. std::invalid_argument if n is 0.
    std::size_t index(std::size_t n);

    /// Satisfies std::uniform_random_bit_generator so std::shuffle etc. work.
    using result_type = std::uint64_t;
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
    result_type operator()() { return next_u64(); }

  private:
    void refill();

    PhiloxKey key_;
    PhiloxCounter counter_{}; // the next block to generate
    PhiloxCounter block_{};   // the current block's words
    unsigned used_ = 4;       // words of block_ already consumed (4: none left)
    bool has_spare_normal_ = false;
    double spare_normal_ = 0;
};

} // namespace capsim
