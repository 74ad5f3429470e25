#pragma once
#include <cstdint>
#include <vector>

namespace capsim::sched {

/// Fair share as in Slurm's classic factor: F = 2^(-U/S), where U is a tenant's share of the
/// decayed past usage of all tenants and S its entitled share (normalised).
///
/// Usage decays exponentially with the half-life h: u' = busy - u ln2 / h, solved exactly over each
/// interval in which the tenant's busy GPUs are constant. A tenant idle for one half-life keeps half
/// its usage; one that used nothing has F = 1 whatever the others did.
/// Example: S = 0.5 for two tenants; A used everything so far (U = 1): F_A = 2^-2 = 0.25, F_B = 1.
class FairShare {
public:
    FairShare(std::vector<double> shares, double halflife_s);

    /// Advances the decayed usage by `dt_s` during which tenant t held `busy[t]` GPUs.
    void advance(double dt_s, const std::vector<std::int64_t>& busy);
    double usage(std::size_t tenant) const { return usage_[tenant]; }
    /// F for each tenant (1 for everyone before any usage); valid until the next call.
    const std::vector<double>& factors() const;

private:
    std::vector<double> shares_;
    std::vector<double> usage_;
    double rate_per_s_; // ln 2 / half-life
    mutable std::vector<double> factors_; // reused: a pass asks for them every time
};

} // namespace capsim::sched
