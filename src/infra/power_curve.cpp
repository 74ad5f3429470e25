#include "capsim/infra/power_curve.hpp"

#include <algorithm>
#include <cmath>

namespace capsim::infra {

double PowerCurve::fraction(double load) const {
    const double u = std::clamp(load, 0.0, 1.0);
    switch (kind) {
    case Kind::linear: return u;
    case Kind::square: return u * u;
    case Kind::cubic: return u * u * u;
    case Kind::sqrt: return std::sqrt(u);
    case Kind::fan: return std::clamp(2 * u - std::pow(u, fan_exponent), 0.0, 1.0);
    }
    return u;
}

std::vector<std::string> power_curve_names() { return {"linear", "square", "cubic", "sqrt", "fan"}; }

std::string_view to_string(PowerCurve::Kind kind) {
    switch (kind) {
    case PowerCurve::Kind::linear: return "linear";
    case PowerCurve::Kind::square: return "square";
    case PowerCurve::Kind::cubic: return "cubic";
    case PowerCurve::Kind::sqrt: return "sqrt";
    case PowerCurve::Kind::fan: return "fan";
    }
    return "linear";
}

} // namespace capsim::infra
