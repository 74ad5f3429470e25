#pragma once
#include <span>

namespace capsim::metrics {

/// The q-th percentile (0 <= q <= 100) of sorted values by linear interpolation between closest
/// ranks: numpy.percentile's default ("linear", Hyndman & Fan type 7), so Python users can
/// reproduce it. NaN for no values.
double percentile_sorted(std::span<const double> sorted, double q);

} // namespace capsim::metrics
