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
    /// Powered nodes of an order that have failed and are being repaired: they draw nothing.
    virtual std::int64_t failed_powered_nodes(std::size_t order) const = 0;
};

/// The physical side of a scenario over its horizon: orders arriving, being commissioned
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
///
/// It is a model of an engine (engine::Model): it schedules and handles its
/// own events (orders changing state, profile steps) and keeps the run's output steps, ending each
/// with Engine::close_step.
class InfrastructureSimulation final : public engine::Model {
public:
    InfrastructureSimulation(const InfrastructureSpec& infrastructure, InfrastructureResult& result);
    ~InfrastructureSimulation() override;

    /// With a GPU load, powered GPUs draw idle power plus what the load reports, and the site load
    /// profiles are ignored.
    void set_gpu_load(GpuLoad* load);
    /// Schedules this model's events over the horizon.
    void start(engine::Engine& engine) override;
    /// Integrates power, energy, cost and carbon up to `t_s`; the engine calls it before any load
    /// changes at t_s.
    void integrate_until(double t_s) override;
    void handle(const engine::Event& event, engine::Engine& engine) override;
    void close_step(double t_s) override;
    /// The GPU load changed: recompute every site's power (after integrate_until(now)).
    void gpu_load_changed();

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};


} // namespace capsim::infra
