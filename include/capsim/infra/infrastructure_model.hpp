#pragma once
#include "capsim/infra/infrastructure_result.hpp"
#include "capsim/scenario/scenario.hpp"

namespace capsim::infra {

/// Simulates the physical side of a scenario over its horizon: orders arriving, being commissioned
/// and retired; each site's grid cap deciding which in-service nodes are powered; IT and facility
/// power; energy, cost, carbon, capex and depreciation.
///
/// Everything a site draws is constant between events (an order changing state, a step of the grid,
/// PUE, tariff or carbon profile, an output step boundary), so energy, cost and carbon are exact
/// integrals over those intervals, never sums of samples. docs/model.md gives the equations.
///
/// Powering rule: at every change, a site powers whole in-service nodes, newest GPU generation first
/// (then earlier orders first), while the facility power they would draw at full load stays within the
/// grid capacity: sum(node max power) x PUE(t) <= grid(t). The others are stranded (dark, drawing
/// nothing). The cap thus holds whatever the load.
InfrastructureResult simulate_infrastructure(const scenario::Scenario& scenario);

} // namespace capsim::infra
