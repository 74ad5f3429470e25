#include "capsim/metrics/percentile.hpp"

#include <cmath>
#include <limits>

namespace capsim::metrics {

double percentile_sorted(std::span<const double> sorted, double q) {
    if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double rank = q / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto lower = static_cast<std::size_t>(std::floor(rank));
    if (lower + 1 >= sorted.size()) return sorted.back();
    const double fraction = rank - static_cast<double>(lower);
    return sorted[lower] + fraction * (sorted[lower + 1] - sorted[lower]);
}

} // namespace capsim::metrics
