#include "capsim/sched/fair_share.hpp"

#include <cmath>

namespace capsim::sched {

FairShare::FairShare(std::vector<double> shares, double halflife_s)
    : shares_(std::move(shares)), usage_(shares_.size(), 0.0), rate_per_s_(std::log(2.0) / halflife_s) {}

void FairShare::advance(double dt_s, const std::vector<std::int64_t>& busy) {
    if (dt_s <= 0) return;
    const double decay = std::exp(-rate_per_s_ * dt_s);
    for (std::size_t t = 0; t < usage_.size(); ++t) {
        usage_[t] = usage_[t] * decay + static_cast<double>(busy[t]) / rate_per_s_ * (1 - decay);
    }
}

const std::vector<double>& FairShare::factors() const {
    double total = 0;
    for (const double u : usage_) total += u;
    factors_.resize(usage_.size());
    for (std::size_t t = 0; t < usage_.size(); ++t) {
        const double used = total > 0 ? usage_[t] / total : 0.0;
        factors_[t] = std::exp2(-used / shares_[t]);
    }
    return factors_;
}

} // namespace capsim::sched
