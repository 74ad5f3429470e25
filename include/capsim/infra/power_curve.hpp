#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace capsim::infra {

/// How a GPU's power rises with its load u in [0, 1]: P = P_idle + (P_max - P_idle) * f(u).
/// Linear f(u) = u is the usual default; square u^2, cubic u^3 and sqrt sqrt(u) bracket it; Fan et al.
/// (2007) fit f(u) = 2u - u^r to measured servers (r = 1.4 in their paper).
/// Example: an H100 (idle 87.5 W, max 700 W) at u = 0.5 draws 393.75 W under linear, 240.6 W under square.
struct PowerCurve {
    enum class Kind { linear, square, cubic, sqrt, fan };
    Kind kind = Kind::linear;
    double fan_exponent = 1.4; // r of Fan et al.; used only by Kind::fan

    /// f(u), clamped to [0, 1] for u in [0, 1].
    double fraction(double load) const;
    /// The power of one GPU at `load`.
    double gpu_power_w(double idle_w, double max_w, double load) const {
        return idle_w + (max_w - idle_w) * fraction(load);
    }
};

std::vector<std::string> power_curve_names();
std::string_view to_string(PowerCurve::Kind kind);

} // namespace capsim::infra
