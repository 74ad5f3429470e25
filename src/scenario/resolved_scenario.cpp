#include "capsim/scenario/resolved_scenario.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <string>
#include <vector>

#include "capsim/util/calendar.hpp"

namespace capsim::scenario {
namespace {

/// A time-varying quantity: its value when constant, else its range (its form is in the text as given).
void emit_profile(YAML::Emitter& out, const char* key, const infra::Profile& profile) {
    out << YAML::Key << key;
    if (profile.is_constant()) {
        out << YAML::Value << profile.min_value();
    } else {
        out << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "varies" << YAML::Value << true
            << YAML::Key << "min" << YAML::Value << profile.min_value() << YAML::Key << "max" << YAML::Value
            << profile.max_value() << YAML::EndMap;
    }
}

void emit_duration(YAML::Emitter& out, const char* key, double seconds) {
    out << YAML::Key << key;
    if (std::isfinite(seconds)) out << YAML::Value << seconds;
    else out << YAML::Value << "never";
}

/// A list of names, or "all" for the empty list that means every one.
void emit_names(YAML::Emitter& out, const char* key, const std::vector<std::string>& names) {
    out << YAML::Key << key;
    if (names.empty()) out << YAML::Value << "all";
    else out << YAML::Value << YAML::Flow << names;
}

void emit_checkpoint(YAML::Emitter& out, const workload::CheckpointSpec& c) {
    out << YAML::Key << "checkpoint" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "interval_s";
    if (c.automatic) out << YAML::Value << "auto";
    else out << YAML::Value << c.interval_s;
    out << YAML::Key << "cost_s" << YAML::Value << c.cost_s << YAML::Key << "restart_s" << YAML::Value << c.restart_s
        << YAML::EndMap;
}

/// Written only when there are failures, so that results without them read as before.
void emit_failures(YAML::Emitter& out, const Scenario& s) {
    if (s.failures.empty()) return;
    out << YAML::Key << "failures" << YAML::Value << YAML::BeginSeq;
    for (const auto& f : s.failures) {
        out << YAML::Flow << YAML::BeginMap;
        if (f.from_trace()) {
            out << YAML::Key << "trace_failures" << YAML::Value << f.trace.size();
        } else {
            std::vector<std::string> sites;
            for (const std::size_t i : f.sites) sites.push_back(s.sites[i].name);
            emit_names(out, "nodes", f.node_types);
            emit_names(out, "sites", sites);
            out << YAML::Key << "rate_per_s" << YAML::Value << f.rate_per_s << YAML::Key << "weibull_shape"
                << YAML::Value << f.weibull_shape << YAML::Key << "repair_s" << YAML::Value << f.repair_s.describe()
                << YAML::Key << "bad_nodes" << YAML::Value << YAML::BeginMap << YAML::Key << "fraction" << YAML::Value
                << f.bad_fraction << YAML::Key << "factor" << YAML::Value << f.bad_factor << YAML::EndMap;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
}

} // namespace

std::string resolved_yaml(const Scenario& s) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << s.name;
    out << YAML::Key << "start" << YAML::Value << format_datetime(s.start_s);
    out << YAML::Key << "end_exclusive" << YAML::Value << format_datetime(s.end_s);
    out << YAML::Key << "seed" << YAML::Value << s.seed;
    out << YAML::Key << "output" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "timestep_s"
        << YAML::Value << s.timestep_s << YAML::Key << "jobs" << YAML::Value << s.write_jobs << YAML::Key << "replications" << YAML::Value
        << to_string(s.replication_output) << YAML::EndMap;
    out << YAML::Key << "finance" << YAML::Value << YAML::BeginMap << YAML::Key << "currency" << YAML::Value
        << s.currency.code << YAML::Key << "exchange_rates" << YAML::Value << YAML::Flow << s.currency.rates
        << YAML::Key << "depreciation_s" << YAML::Value << s.default_lifetime_s << YAML::EndMap;
    out << YAML::Key << "power" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "curve"
        << YAML::Value << std::string(infra::to_string(s.power_curve.kind)) << YAML::Key << "fan_exponent"
        << YAML::Value << s.power_curve.fan_exponent << YAML::EndMap;

    out << YAML::Key << "catalog" << YAML::Value << YAML::BeginMap << YAML::Key << "gpus" << YAML::Value << YAML::BeginMap;
    for (const auto& g : s.catalog.gpus()) {
        out << YAML::Key << g.name << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "bf16_flops"
            << YAML::Value << g.peak_bf16_flops << YAML::Key << "hbm_gb" << YAML::Value << g.hbm_gb << YAML::Key
            << "tdp_w" << YAML::Value << g.tdp_w << YAML::Key << "idle_w" << YAML::Value << g.idle_w << YAML::Key
            << "released" << YAML::Value << (std::to_string(g.release_year) + "-" + (g.release_month < 10 ? "0" : "") + std::to_string(g.release_month))
            << YAML::Key << "price" << YAML::Value << g.price << YAML::EndMap;
    }
    out << YAML::EndMap << YAML::Key << "nodes" << YAML::Value << YAML::BeginMap;
    for (const auto& n : s.catalog.nodes()) {
        out << YAML::Key << n.name << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "gpu" << YAML::Value
            << n.gpu << YAML::Key << "gpus" << YAML::Value << n.gpus << YAML::Key << "overhead_w" << YAML::Value
            << n.overhead_w << YAML::Key << "price" << YAML::Value << n.price << YAML::EndMap;
    }
    out << YAML::EndMap << YAML::EndMap;

    out << YAML::Key << "sites" << YAML::Value << YAML::BeginSeq;
    for (const auto& site : s.sites) {
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << site.name << YAML::Key << "country"
            << YAML::Value << site.country << YAML::Key << "utc_offset_s" << YAML::Value << site.utc_offset_s;
        emit_profile(out, "grid_w", site.grid_capacity_w);
        emit_profile(out, "pue", site.pue);
        emit_profile(out, "electricity_per_mwh", site.price_per_mwh);
        emit_profile(out, "carbon_g_per_kwh", site.carbon_g_per_kwh);
        emit_profile(out, "load", site.load);
        out << YAML::Key << "facility_capex_per_w" << YAML::Value << site.facility_capex_per_w << YAML::Key
            << "facility_lifetime_s" << YAML::Value << site.facility_lifetime_s << YAML::EndMap;
    }
    out << YAML::EndSeq;

    out << YAML::Key << "buildout" << YAML::Value << YAML::BeginSeq;
    for (const auto& o : s.buildout) {
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "site" << YAML::Value << s.sites[o.site].name << YAML::Key
            << "node" << YAML::Value << o.node << YAML::Key << "count" << YAML::Value << o.count;
        if (o.spare_nodes > 0) out << YAML::Key << "spare_nodes" << YAML::Value << o.spare_nodes;
        out << YAML::Key << "ordered" << YAML::Value << format_datetime(o.ordered_s) << YAML::Key << "lead_time_s" << YAML::Value
            << o.lead_time_s << YAML::Key << "commissioning_s" << YAML::Value << o.commissioning_s;
        emit_duration(out, "lifetime_s", o.lifetime_s);
        out << YAML::Key << "price_per_node" << YAML::Value << o.price_per_node << YAML::EndMap;
    }
    out << YAML::EndSeq;

    if (s.has_workloads()) {
        out << YAML::Key << "tenants" << YAML::Value << YAML::BeginSeq;
        for (const auto& t : s.tenants) {
            out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << t.name << YAML::Key << "share"
                << YAML::Value << t.share << YAML::EndMap;
        }
        out << YAML::EndSeq << YAML::Key << "workloads" << YAML::Value << YAML::BeginSeq;
        for (const auto& w : s.workloads) {
            out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << w.name << YAML::Key << "tenant" << YAML::Value
                << s.tenants[w.tenant].name << YAML::Key << "class" << YAML::Value << to_string(w.job_class) << YAML::Key
                << "load" << YAML::Value << w.load;
            if (w.reservation) {
                out << YAML::Key << "reservation" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "gpus"
                    << YAML::Value << w.reservation->gpus << YAML::Key << "site" << YAML::Value
                    << s.sites[w.reservation->site].name << YAML::Key << "from" << YAML::Value
                    << format_datetime(w.reservation->from_s) << YAML::Key << "to_exclusive" << YAML::Value
                    << format_datetime(w.reservation->to_s) << YAML::EndMap;
            } else if (!w.trace.empty()) {
                out << YAML::Key << "trace_jobs" << YAML::Value << w.trace.size();
            } else if (w.arrivals) {
                out << YAML::Key << "arrivals" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "rate_per_s"
                    << YAML::Value << w.arrivals->rate_per_s << YAML::Key << "growth_per_year" << YAML::Value
                    << w.arrivals->growth_per_year << YAML::EndMap;
                out << YAML::Key << "gpus" << YAML::Value << w.gpus.describe();
                const char* kinds[] = {"flops", "gpu_hours", "duration_s"};
                out << YAML::Key << kinds[static_cast<int>(w.work.kind)] << YAML::Value << w.work.amount.describe();
                if (w.work.kind == workload::WorkSpec::Kind::flops) out << YAML::Key << "mfu" << YAML::Value << w.work.mfu;
                out << YAML::Key << "estimate_factor" << YAML::Value
                    << (w.estimate_factor ? w.estimate_factor->describe() : std::string("exact"));
            }
            if (w.checkpoint) emit_checkpoint(out, *w.checkpoint);
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
        const char* order_names[] = {"fifo", "sjf", "fairshare", "priority"};
        out << YAML::Key << "scheduler" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "policy"
            << YAML::Value << s.scheduler.policy << YAML::Key << "order" << YAML::Value
            << order_names[static_cast<int>(s.scheduler.order)]
            << YAML::Key << "fairshare_halflife_s" << YAML::Value << s.scheduler.fairshare_halflife_s;
        emit_duration(out, "max_walltime_s", s.scheduler.max_walltime_s);
        out << YAML::Key << "urgent" << YAML::Value
            << (s.scheduler.urgent == workload::SchedulerSpec::Urgent::preempt ? "preempt" : "front-of-queue") << YAML::EndMap;
        emit_failures(out, s); // simulated only with workloads
    }
    out << YAML::EndMap;
    return out.c_str();
}

} // namespace capsim::scenario
