#include "capsim/infra/infrastructure_model.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

#include "capsim/engine/engine.hpp"
#include "capsim/util/error.hpp"

namespace capsim::infra {
namespace {

constexpr double joules_per_mwh = 3.6e9;

enum EventKind : std::uint32_t {
    order_installed,
    order_in_service,
    order_retired,
    order_depreciated,     // the order's hardware is fully depreciated
    facility_depreciated,  // one facility capex tranche is fully depreciated
    site_profile_change,   // grid, PUE, tariff, carbon or load of a site may change
    step_boundary,         // the end of an output step
};

/// The nodes of one order, as they move from ordered to retired.
struct Cohort {
    const OrderSpec* order = nullptr;
    std::size_t index = 0;      // position in the build-out (earlier orders are powered first)
    std::size_t gpu_type = 0;   // index into InfrastructureResult::gpu_types
    int generation = 0;         // release year * 12 + month: newer is larger
    std::int64_t gpus_per_node = 0;
    double node_max_w = 0;      // all GPUs at TDP plus overhead: what the grid cap is checked against
    double gpu_idle_w = 0, gpu_max_w = 0, node_overhead_w = 0;
    enum class State { ordered, installed, in_service, retired } state = State::ordered;
    std::int64_t powered_nodes = 0;
    double depreciation_rate = 0; // currency per second
};

/// What one site draws and counts now, and what has accumulated in the current output step.
struct SiteState {
    double grid_w = 0, pue = 1, price_per_mwh = 0, carbon_g_per_kwh = 0, load = 0;
    double it_w = 0, facility_w = 0;
    double depreciation_rate = 0;
    double grid_built_w = 0; // the largest grid capacity so far: what facility capex has paid for
    std::vector<double> installed, in_service, powered, retired; // GPUs per type, now
    std::vector<double> powered_nodes;                           // per type, now

    // Integrals over the current step.
    double grid_ws = 0, pue_s = 0, it_ws = 0, facility_ws = 0, it_peak_w = 0, facility_peak_w = 0;
    double it_energy_mwh = 0, facility_energy_mwh = 0, cost = 0, carbon_t = 0, capex = 0, depreciation = 0;
    std::vector<double> installed_s, in_service_s, powered_s, powered_nodes_s, stranded_s, retired_s;
};

} // namespace

class InfrastructureSimulation::Impl {
public:
    Impl(const InfrastructureSpec& infrastructure, InfrastructureResult& result, const engine::Model& self)
        : self_(self), infrastructure_(infrastructure), result_(result), sites_(infrastructure.sites.size()) {
        for (const auto& site : infrastructure.sites) result_.sites.push_back(site.name);
        build_cohorts();
        const std::size_t types = result_.gpu_types.size();
        for (SiteState& site : sites_) {
            for (auto* v : {&site.installed, &site.in_service, &site.powered, &site.powered_nodes, &site.retired,
                            &site.installed_s, &site.in_service_s, &site.powered_s, &site.powered_nodes_s,
                            &site.stranded_s, &site.retired_s}) {
                v->assign(types, 0.0);
            }
        }
        result_.totals.assign(sites_.size(), SiteTotals{});
    }

    void start(engine::Engine& engine) {
        now_s_ = infrastructure_.start_s;
        for (std::size_t s = 0; s < sites_.size(); ++s) {
            read_profiles(s, infrastructure_.start_s);
            book_facility_capex(engine, s, sites_[s].grid_w);
            repower(s);
            schedule_profile_change(engine, s, infrastructure_.start_s);
        }
        for (const Cohort& c : cohorts_) {
            const OrderSpec& o = *c.order;
            // Hardware retired before the start is not in the run; hardware ordered before it is an
            // installed fleet, whose capex was spent before the horizon but whose depreciation and power
            // fall inside it.
            if (o.retired_s() <= infrastructure_.start_s) continue;
            if (o.ordered_s >= infrastructure_.start_s) {
                book_capex(c.order->site, o.ordered_s, o.price_per_node * static_cast<double>(o.count), false);
            }
            schedule_if_inside(engine, o.installed_s(), order_installed, c.index);
            schedule_if_inside(engine, o.in_service_s(), order_in_service, c.index);
            schedule_if_inside(engine, o.retired_s(), order_retired, c.index);
            schedule_if_inside(engine, o.in_service_s() + depreciation_period(o), order_depreciated, c.index);
        }
        const double step_s = infrastructure_.timestep_s;
        for (double t = infrastructure_.start_s + step_s; t < infrastructure_.end_s; t += step_s) {
            engine.schedule(self_, t, 0, step_boundary, 0);
        }
        engine.schedule(self_, infrastructure_.end_s, 0, step_boundary, 0);
    }

    void handle(const engine::Event& event, engine::Engine& engine) {
        integrate_until(event.time_s);
        switch (event.kind) {
        case order_installed: change_state(event.subject, Cohort::State::installed); break;
        case order_in_service: change_state(event.subject, Cohort::State::in_service); break;
        case order_retired: change_state(event.subject, Cohort::State::retired); break;
        case order_depreciated: {
            Cohort& c = cohorts_[event.subject];
            sites_[c.order->site].depreciation_rate -= c.depreciation_rate;
            c.depreciation_rate = 0;
            break;
        }
        case facility_depreciated: {
            const auto& [site, rate] = facility_tranches_[event.subject];
            sites_[site].depreciation_rate -= rate;
            break;
        }
        case site_profile_change: {
            const std::size_t s = event.subject;
            read_profiles(s, event.time_s);
            book_facility_capex(engine, s, sites_[s].grid_w);
            repower(s);
            schedule_profile_change(engine, s, event.time_s);
            break;
        }
        case step_boundary: engine.close_step(event.time_s); break; // this model's close_step too
        default: throw InternalError("infrastructure model: unknown event kind");
        }
    }

    void set_gpu_load(GpuLoad* load) { gpu_load_ = load; }
    void gpu_load_changed() {
        for (std::size_t s = 0; s < sites_.size(); ++s) update_power(s);
    }

private:
    void build_cohorts() {
        result_.gpu_types = output_gpu_types(infrastructure_);
        for (const std::string& name : result_.gpu_types) {
            const GpuSpec* gpu = infrastructure_.catalog.find_gpu(name);
            result_.gpu_peak_flops.push_back(gpu ? gpu->peak_bf16_flops : 0.0);
        }

        for (std::size_t i = 0; i < infrastructure_.buildout.size(); ++i) {
            const OrderSpec& o = infrastructure_.buildout[i];
            const NodeType& node = *infrastructure_.catalog.find_node(o.node);
            const GpuSpec& gpu = *infrastructure_.catalog.find_gpu(node.gpu);
            Cohort c;
            c.order = &o;
            c.index = i;
            c.gpu_type = static_cast<std::size_t>(
                std::find(result_.gpu_types.begin(), result_.gpu_types.end(), gpu.name) - result_.gpu_types.begin());
            c.generation = generation(gpu);
            c.gpus_per_node = node.gpus;
            c.node_max_w = node_max_power_w(node, gpu);
            c.gpu_idle_w = gpu.idle_w;
            c.gpu_max_w = gpu.tdp_w;
            c.node_overhead_w = node.overhead_w;
            cohorts_.push_back(c);
        }
    }

    double depreciation_period(const OrderSpec& o) const {
        return std::isfinite(o.lifetime_s) ? o.lifetime_s : infrastructure_.default_lifetime_s;
    }

    void schedule_if_inside(engine::Engine& engine, double t, EventKind kind, std::uint64_t subject) {
        if (t < infrastructure_.end_s) engine.schedule(self_, std::max(t, infrastructure_.start_s), 0, kind, subject);
    }

    void read_profiles(std::size_t s, double t) {
        const SiteSpec& spec = infrastructure_.sites[s];
        SiteState& site = sites_[s];
        site.grid_w = spec.grid_capacity_w.value_at(t);
        site.pue = spec.pue.value_at(t);
        site.price_per_mwh = spec.price_per_mwh.value_at(t);
        site.carbon_g_per_kwh = spec.carbon_g_per_kwh.value_at(t);
        site.load = spec.load.value_at(t);
    }

    void schedule_profile_change(engine::Engine& engine, std::size_t s, double t) {
        const SiteSpec& spec = infrastructure_.sites[s];
        const double next = std::min({spec.grid_capacity_w.next_change_after(t), spec.pue.next_change_after(t),
                                      spec.price_per_mwh.next_change_after(t),
                                      spec.carbon_g_per_kwh.next_change_after(t), spec.load.next_change_after(t)});
        if (next < infrastructure_.end_s) engine.schedule(self_, next, 0, site_profile_change, s);
    }

    /// Facility capex is paid per W of grid capacity built: only capacity above the largest the site
    /// has had is new (a connection that dips and recovers is not built twice). It depreciates over
    /// the facility's life.
    void book_facility_capex(engine::Engine& engine, std::size_t s, double new_grid_w) {
        const SiteSpec& spec = infrastructure_.sites[s];
        SiteState& site = sites_[s];
        const double built_w = site.grid_built_w;
        site.grid_built_w = std::max(built_w, new_grid_w);
        if (spec.facility_capex_per_w <= 0 || new_grid_w <= built_w) return;
        const double amount = (new_grid_w - built_w) * spec.facility_capex_per_w;
        book_capex(s, now_s_, amount, true);
        const double rate = amount / spec.facility_lifetime_s;
        sites_[s].depreciation_rate += rate;
        facility_tranches_.emplace_back(s, rate);
        schedule_if_inside(engine, now_s_ + spec.facility_lifetime_s, facility_depreciated, facility_tranches_.size() - 1);
    }

    /// Capex is booked in the output step that contains its instant.
    void book_capex(std::size_t s, double t, double amount, bool facility) {
        const auto step =
            static_cast<std::size_t>(std::floor((t - infrastructure_.start_s) / infrastructure_.timestep_s));
        if (pending_capex_.size() <= step) pending_capex_.resize(step + 1, std::vector<double>(sites_.size(), 0.0));
        pending_capex_[step][s] += amount;
        (facility ? result_.totals[s].capex_facility : result_.totals[s].capex_hardware) += amount;
    }

    void change_state(std::uint64_t index, Cohort::State state) {
        Cohort& c = cohorts_[index];
        SiteState& site = sites_[c.order->site];
        const double gpus = static_cast<double>(c.order->count * c.gpus_per_node);
        switch (state) {
        case Cohort::State::installed: site.installed[c.gpu_type] += gpus; break;
        case Cohort::State::in_service:
            site.in_service[c.gpu_type] += gpus;
            c.depreciation_rate = c.order->price_per_node * static_cast<double>(c.order->count) /
                                  depreciation_period(*c.order);
            site.depreciation_rate += c.depreciation_rate;
            break;
        case Cohort::State::retired:
            site.installed[c.gpu_type] -= gpus;
            site.in_service[c.gpu_type] -= gpus;
            site.retired[c.gpu_type] += gpus;
            break;
        case Cohort::State::ordered: break;
        }
        c.state = state;
        repower(c.order->site);
    }

    /// Applies the powering rule to one site and recomputes what it draws.
    void repower(std::size_t s) {
        SiteState& site = sites_[s];
        std::vector<Cohort*> serving;
        for (Cohort& c : cohorts_) {
            if (c.order->site != s) continue;
            c.powered_nodes = 0;
            if (c.state == Cohort::State::in_service) serving.push_back(&c);
        }
        std::stable_sort(serving.begin(), serving.end(), [](const Cohort* a, const Cohort* b) {
            return a->generation != b->generation ? a->generation > b->generation : a->index < b->index;
        });
        // The IT power the grid allows at this PUE, if every powered node ran flat out.
        double budget_w = site.grid_w / site.pue;
        std::fill(site.powered.begin(), site.powered.end(), 0.0);
        std::fill(site.powered_nodes.begin(), site.powered_nodes.end(), 0.0);
        for (Cohort* c : serving) {
            // A tiny tolerance so that a grid sized exactly for n nodes powers n, not n - 1.
            const double fits = std::floor(budget_w / c->node_max_w * (1 + 1e-12));
            c->powered_nodes = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::max(0.0, fits)), 0, c->order->count);
            budget_w -= static_cast<double>(c->powered_nodes) * c->node_max_w;
            site.powered[c->gpu_type] += static_cast<double>(c->powered_nodes * c->gpus_per_node);
            site.powered_nodes[c->gpu_type] += static_cast<double>(c->powered_nodes);
        }
        if (gpu_load_) {
            for (Cohort& c : cohorts_) {
                if (c.order->site == s) gpu_load_->powered_nodes_changed(c.index, c.powered_nodes);
            }
        }
        update_power(s);
    }

    /// Recomputes what a site draws from its powered nodes and their load.
    void update_power(std::size_t s) {
        SiteState& site = sites_[s];
        site.it_w = 0;
        for (const Cohort& c : cohorts_) {
            if (c.order->site != s || c.powered_nodes == 0) continue;
            // Without a workload model, every powered GPU runs at the site's load profile.
            const double gpu_load = gpu_load_ ? 0.0 : site.load;
            const double node_w = static_cast<double>(c.gpus_per_node) *
                                      infrastructure_.power_curve.gpu_power_w(c.gpu_idle_w, c.gpu_max_w, gpu_load) +
                                  c.node_overhead_w;
            const std::int64_t drawing = c.powered_nodes - (gpu_load_ ? gpu_load_->failed_powered_nodes(c.index) : 0);
            site.it_w += static_cast<double>(drawing) * node_w;
            if (gpu_load_) site.it_w += gpu_load_->busy_power_above_idle_w(c.index);
        }
        site.facility_w = site.it_w * site.pue;
        // The rule above guarantees the cap; checking it here turns a bug into an error, not a wrong plan.
        if (site.facility_w > site.grid_w * (1 + 1e-9) + 1e-6) {
            throw InternalError("site " + infrastructure_.sites[s].name + " draws " + std::to_string(site.facility_w) +
                                " W over its grid capacity of " + std::to_string(site.grid_w) + " W");
        }
    }

public:
    /// Everything is constant over [now, t): integrate it exactly.
    void integrate_until(double t) {
        const double dt = t - now_s_;
        if (dt < 0) throw InternalError("infrastructure model: time went backwards");
        if (dt == 0) return;
        for (std::size_t s = 0; s < sites_.size(); ++s) {
            SiteState& site = sites_[s];
            site.grid_ws += site.grid_w * dt;
            site.pue_s += site.pue * dt;
            site.it_ws += site.it_w * dt;
            site.facility_ws += site.facility_w * dt;
            site.it_peak_w = std::max(site.it_peak_w, site.it_w);
            site.facility_peak_w = std::max(site.facility_peak_w, site.facility_w);
            const double it_mwh = site.it_w * dt / joules_per_mwh;
            const double facility_mwh = site.facility_w * dt / joules_per_mwh;
            site.it_energy_mwh += it_mwh;
            site.facility_energy_mwh += facility_mwh;
            site.cost += facility_mwh * site.price_per_mwh;
            site.carbon_t += facility_mwh * site.carbon_g_per_kwh / 1000.0; // g/kWh = kg/MWh
            site.depreciation += site.depreciation_rate * dt;
            for (std::size_t g = 0; g < site.installed.size(); ++g) {
                site.installed_s[g] += site.installed[g] * dt;
                site.in_service_s[g] += site.in_service[g] * dt;
                site.powered_s[g] += site.powered[g] * dt;
                site.powered_nodes_s[g] += site.powered_nodes[g] * dt;
                site.stranded_s[g] += (site.in_service[g] - site.powered[g]) * dt;
                site.retired_s[g] += site.retired[g] * dt;
            }
        }
        now_s_ = t;
    }

public:
    void close_step(double t) {
        InfrastructureSeries& out = result_.series;
        // Counted here, not from the series: a writer may take the rows away as the run goes.
        const std::size_t step = result_.steps_closed++;
        const double step_start = step == 0 ? infrastructure_.start_s : last_step_end_s_;
        last_step_end_s_ = t;
        const double length = t - step_start;
        out.step_start_s.push_back(step_start);
        out.step_end_s.push_back(t);
        for (std::size_t s = 0; s < sites_.size(); ++s) {
            SiteState& site = sites_[s];
            SiteTotals& totals = result_.totals[s];
            out.grid_capacity_mean_w.push_back(site.grid_ws / length);
            out.pue_mean.push_back(site.pue_s / length);
            out.it_power_mean_w.push_back(site.it_ws / length);
            out.it_power_peak_w.push_back(site.it_peak_w);
            out.facility_power_mean_w.push_back(site.facility_ws / length);
            out.facility_power_peak_w.push_back(site.facility_peak_w);
            out.it_energy_mwh.push_back(site.it_energy_mwh);
            out.facility_energy_mwh.push_back(site.facility_energy_mwh);
            out.energy_cost.push_back(site.cost);
            out.carbon_t.push_back(site.carbon_t);
            out.capex.push_back(step < pending_capex_.size() ? pending_capex_[step][s] : 0.0);
            out.depreciation.push_back(site.depreciation);
            for (std::size_t g = 0; g < site.installed.size(); ++g) {
                out.installed_gpus.push_back(site.installed_s[g] / length);
                out.in_service_gpus.push_back(site.in_service_s[g] / length);
                out.powered_gpus.push_back(site.powered_s[g] / length);
                out.powered_nodes.push_back(site.powered_nodes_s[g] / length);
                out.stranded_gpus.push_back(site.stranded_s[g] / length);
                out.retired_gpus.push_back(site.retired_s[g] / length);
                totals.gpu_hours_stranded += site.stranded_s[g] / 3600.0;
            }
            totals.it_energy_mwh += site.it_energy_mwh;
            totals.facility_energy_mwh += site.facility_energy_mwh;
            totals.energy_cost += site.cost;
            totals.carbon_t += site.carbon_t;
            totals.depreciation += site.depreciation;
            totals.facility_power_peak_w = std::max(totals.facility_power_peak_w, site.facility_peak_w);
            totals.gpus_installed_at_end = std::accumulate(site.installed.begin(), site.installed.end(), 0.0);
            totals.gpus_powered_at_end = std::accumulate(site.powered.begin(), site.powered.end(), 0.0);
            totals.nodes_powered_at_end = std::accumulate(site.powered_nodes.begin(), site.powered_nodes.end(), 0.0);
            totals.peak_flops_powered_at_end = 0;
            for (std::size_t g = 0; g < site.powered.size(); ++g) {
                totals.peak_flops_powered_at_end += site.powered[g] * result_.gpu_peak_flops[g];
            }
            reset_step(site);
        }
    }

private:
    static void reset_step(SiteState& site) {
        site.grid_ws = site.pue_s = site.it_ws = site.facility_ws = site.it_peak_w = site.facility_peak_w = 0;
        site.it_energy_mwh = site.facility_energy_mwh = site.cost = site.carbon_t = site.capex = site.depreciation = 0;
        for (auto* v : {&site.installed_s, &site.in_service_s, &site.powered_s, &site.powered_nodes_s, &site.stranded_s,
                        &site.retired_s}) {
            std::fill(v->begin(), v->end(), 0.0);
        }
    }

    const engine::Model& self_; // the InfrastructureSimulation, owner of this model's events
    const InfrastructureSpec& infrastructure_;
    InfrastructureResult& result_;
    std::vector<SiteState> sites_;
    std::vector<Cohort> cohorts_;
    std::vector<std::pair<std::size_t, double>> facility_tranches_; // (site, depreciation rate)
    std::vector<std::vector<double>> pending_capex_;                 // [step][site]
    double now_s_ = 0;
    double last_step_end_s_ = 0;
    GpuLoad* gpu_load_ = nullptr;
};

SiteTotals& SiteTotals::operator+=(const SiteTotals& o) {
    it_energy_mwh += o.it_energy_mwh;
    facility_energy_mwh += o.facility_energy_mwh;
    energy_cost += o.energy_cost;
    carbon_t += o.carbon_t;
    capex_hardware += o.capex_hardware;
    capex_facility += o.capex_facility;
    depreciation += o.depreciation;
    facility_power_peak_w += o.facility_power_peak_w;
    gpus_installed_at_end += o.gpus_installed_at_end;
    gpus_powered_at_end += o.gpus_powered_at_end;
    nodes_powered_at_end += o.nodes_powered_at_end;
    peak_flops_powered_at_end += o.peak_flops_powered_at_end;
    gpu_hours_stranded += o.gpu_hours_stranded;
    return *this;
}

SiteTotals total_of(const std::vector<SiteTotals>& sites) {
    SiteTotals all;
    for (const SiteTotals& s : sites) all += s;
    return all;
}

InfrastructureSimulation::InfrastructureSimulation(const InfrastructureSpec& infrastructure,
                                                   InfrastructureResult& result)
    : impl_(std::make_unique<Impl>(infrastructure, result, *this)) {}
InfrastructureSimulation::~InfrastructureSimulation() = default;
void InfrastructureSimulation::set_gpu_load(GpuLoad* load) { impl_->set_gpu_load(load); }
void InfrastructureSimulation::start(engine::Engine& engine) { impl_->start(engine); }
void InfrastructureSimulation::integrate_until(double t_s) { impl_->integrate_until(t_s); }
void InfrastructureSimulation::handle(const engine::Event& event, engine::Engine& engine) { impl_->handle(event, engine); }
void InfrastructureSimulation::gpu_load_changed() { impl_->gpu_load_changed(); }
void InfrastructureSimulation::close_step(double t_s) { impl_->close_step(t_s); }

} // namespace capsim::infra
