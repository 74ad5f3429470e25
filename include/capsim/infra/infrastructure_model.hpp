#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "capsim/engine/engine.hpp"
#include "capsim/infra/infrastructure_result.hpp"
#include "capsim/infra/infrastructure_spec.hpp"

namespace capsim::infra {

/// What the infrastructure needs from a model that puts load on its GPUs (the workload model).
/// Orders are identified by their index in the build-out.
class GpuLoad {
public:
    virtual ~GpuLoad() = default;
    /// The grid cap (or an order entering or leaving service) changed how many of an order's nodes
    /// are powered. Jobs on nodes that went dark must stop.
    virtual void powered_nodes_changed(std::size_t order, std::int64_t powered_nodes) = 0;
    /// The power drawn above idle by the busy GPUs on an order's powered nodes, W.
    virtual double busy_power_above_idle_w(std::size_t order) const = 0;
};

/// The infrastructure model as a component of a larger simulation: the caller owns the engine and
/// routes the events this model scheduled to handle(). Events of other models may share the engine:
/// this model's event kinds are all below `first_free_event_kind`.
class InfrastructureSimulation {
public:
    static constexpr std::uint32_t first_free_event_kind = 16;

    InfrastructureSimulation(const InfrastructureSpec& infrastructure, InfrastructureResult& result);
    ~InfrastructureSimulation();

    /// With a GPU load, powered GPUs draw idle power plus what the load reports, and the site load
    /// profiles are ignored.
    void set_gpu_load(GpuLoad* load);
    /// Schedules this model's events over the horizon.
    void start(engine::Engine& engine);
    /// Integrates power, energy, cost and carbon up to `t_s`; call before changing any load at t_s.
    void integrate_until(double t_s);
    void handle(const engine::Event& event, engine::Engine& engine);
    /// The GPU load changed: recompute every site's power (after integrate_until(now)).
    void gpu_load_changed();
    static bool is_step_boundary(const engine::Event& event);

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

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
InfrastructureResult simulate_infrastructure(const InfrastructureSpec& infrastructure);

} // namespace capsim::infra
