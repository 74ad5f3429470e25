#include "capsim/run/run_record.hpp"

#include <limits>

#include "capsim/metrics/workload_summary.hpp"
#include "capsim/util/calendar.hpp"
#include "capsim/util/error.hpp"

namespace capsim::run {
namespace {

std::vector<double> scaled(const std::vector<double>& values, double factor) {
    std::vector<double> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = values[i] * factor;
    return out;
}

/// Running sums along time of a (time, x) array, continuing from the sums so far in `carry` (one
/// per x), which it updates.
std::vector<double> cumulative(const std::vector<double>& values, std::vector<double>& carry) {
    std::vector<double> out(values.size());
    const std::size_t width = carry.size();
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = carry[i % width] += values[i];
    return out;
}

/// Every axis but time, which grows as the run goes.
RunAxes make_axes(const scenario::Scenario& scenario, const ScenarioResult& run) {
    RunAxes axes;
    axes.time_units = "hours since " + format_datetime(scenario.start_s);
    axes.sites = run.infra.sites;
    axes.gpus = run.infra.gpu_types;
    if (scenario.has_workloads()) {
        axes.tenants = run.workload.tenants;
        axes.summary_groups = metrics::group_names(run.workload_summary);
        for (const auto& y : run.workload_summary.years) axes.years.push_back(y.year);
    }
    return axes;
}

/// Adds variables, one group at a time, checking their sizes against the axes (`steps` along time).
class RecordBuilder {
public:
    RecordBuilder(const RunAxes& axes, std::size_t steps, std::vector<RunVariable>& variables)
        : axes_(axes), steps_(steps), variables_(variables) {}
    void group(std::string name) { group_ = std::move(name); }
    void add(std::string name, std::vector<std::string> axes, std::string units, std::string long_name,
             std::vector<double> values) {
        std::size_t expected = 1;
        for (const auto& a : axes) expected *= a == "time" ? steps_ : axes_.length(a);
        if (values.size() != expected) {
            throw InternalError("run record: " + group_ + "/" + name + " has " + std::to_string(values.size()) +
                                " values, its axes " + std::to_string(expected));
        }
        variables_.push_back({group_, std::move(name), std::move(axes), std::move(units), std::move(long_name),
                              std::move(values)});
    }

private:
    const RunAxes& axes_;
    std::size_t steps_;
    std::vector<RunVariable>& variables_;
    std::string group_;
};

void add_site_series(RecordBuilder& add, const scenario::Scenario& scenario, const infra::InfrastructureResult& result,
                     SeriesCarry& carry) {
    const std::string& currency = scenario.currency.code;
    const infra::InfrastructureSeries& s = result.series;
    add.group("sites");
    auto ts = [&](const char* name, std::vector<double> v, const std::string& units, const char* what) {
        add.add(name, {"time", "site"}, units, what, std::move(v));
    };
    ts("grid_capacity_mw", scaled(s.grid_capacity_mean_w, 1e-6), "MW", "grid capacity, mean over the step");
    ts("pue", s.pue_mean, "1", "power usage effectiveness, mean over the step");
    ts("it_power_mw", scaled(s.it_power_mean_w, 1e-6), "MW", "IT power, mean over the step");
    ts("it_power_peak_mw", scaled(s.it_power_peak_w, 1e-6), "MW", "IT power, peak within the step");
    ts("facility_power_mw", scaled(s.facility_power_mean_w, 1e-6), "MW", "facility power (IT x PUE), mean over the step");
    ts("facility_power_peak_mw", scaled(s.facility_power_peak_w, 1e-6), "MW", "facility power, peak within the step");
    ts("it_energy_mwh", s.it_energy_mwh, "MWh", "IT energy in the step");
    ts("energy_mwh", s.facility_energy_mwh, "MWh", "facility energy in the step");
    ts("energy_cumulative_mwh", cumulative(s.facility_energy_mwh, carry.energy_mwh), "MWh", "facility energy since the start");
    ts("energy_cost", s.energy_cost, currency, "electricity cost in the step");
    ts("energy_cost_cumulative", cumulative(s.energy_cost, carry.energy_cost), currency, "electricity cost since the start");
    ts("carbon_t", s.carbon_t, "t", "emissions in the step, tonnes CO2e");
    ts("carbon_cumulative_t", cumulative(s.carbon_t, carry.carbon_t), "t", "emissions since the start, tonnes CO2e");
    ts("capex", s.capex, currency, "capital expenditure booked in the step (orders, grid capacity)");
    ts("capex_cumulative", cumulative(s.capex, carry.capex), currency, "capital expenditure since the start");
    ts("depreciation", s.depreciation, currency, "straight-line depreciation in the step");
    ts("depreciation_cumulative", cumulative(s.depreciation, carry.depreciation), currency, "depreciation since the start");

    auto gpus = [&](const char* name, const std::vector<double>& v, const char* what) {
        add.add(name, {"time", "site", "gpu"}, "1", what, v);
    };
    gpus("installed_gpus", s.installed_gpus, "GPUs delivered and not retired, mean over the step");
    gpus("in_service_gpus", s.in_service_gpus, "GPUs commissioned and not retired, mean over the step");
    gpus("powered_gpus", s.powered_gpus, "in-service GPUs within the grid cap, mean over the step");
    add.add("powered_nodes", {"time", "site", "gpu"}, "1", "nodes of the powered GPUs, mean over the step", s.powered_nodes);
    std::vector<double> pflops(s.powered_gpus.size());
    const std::size_t types = result.gpu_types.size();
    for (std::size_t i = 0; i < pflops.size(); ++i) pflops[i] = s.powered_gpus[i] * result.gpu_peak_flops[i % types] / 1e15;
    add.add("powered_peak_pflops", {"time", "site", "gpu"}, "PFLOP/s",
            "dense BF16 peak of the powered GPUs, mean over the step", std::move(pflops));
    gpus("stranded_gpus", s.stranded_gpus, "in-service GPUs the grid cannot power, mean over the step");
    gpus("retired_gpus", s.retired_gpus, "GPUs retired so far, mean over the step");
}

/// The sites' node failures, which the workload model counts (a failure stops jobs, so failures are
/// simulated only with workloads): zeros where it has none, so that the layout of a file does not
/// depend on whether failures were configured.
void add_site_failure_series(RecordBuilder& add, const workload::WorkloadResult& w, std::size_t steps,
                             std::size_t sites) {
    add.group("sites");
    auto ts = [&](const char* name, const std::vector<double>& v, const char* units, const char* what) {
        add.add(name, {"time", "site"}, units, what, v.empty() ? std::vector<double>(steps * sites, 0.0) : v);
    };
    ts("node_failures", w.node_failures, "1", "node failures that began in the step");
    ts("nodes_in_repair", w.nodes_in_repair, "1", "nodes out of service for repair, mean over the step");
    ts("unavailable_gpu_hours", w.unavailable_gpu_hours, "h", "GPU-hours of the nodes in repair in the step");
}

void add_site_totals(RecordBuilder& add, const scenario::Scenario& scenario, const infra::InfrastructureResult& result) {
    const std::string& currency = scenario.currency.code;
    add.group("sites");
    auto per_site = [&](const char* name, auto member, double factor, const std::string& units, const char* what) {
        std::vector<double> v;
        for (const auto& t : result.totals) v.push_back(t.*member * factor);
        add.add(name, {"site"}, units, what, std::move(v));
    };
    using T = infra::SiteTotals;
    per_site("total_it_energy_mwh", &T::it_energy_mwh, 1, "MWh", "IT energy over the run");
    per_site("total_energy_mwh", &T::facility_energy_mwh, 1, "MWh", "facility energy over the run");
    per_site("total_energy_cost", &T::energy_cost, 1, currency, "electricity cost over the run");
    per_site("total_carbon_t", &T::carbon_t, 1, "t", "emissions over the run, tonnes CO2e");
    per_site("total_capex_hardware", &T::capex_hardware, 1, currency, "hardware capex over the run");
    per_site("total_capex_facility", &T::capex_facility, 1, currency, "facility capex over the run");
    per_site("total_depreciation", &T::depreciation, 1, currency, "depreciation over the run");
    per_site("peak_facility_power_mw", &T::facility_power_peak_w, 1e-6, "MW", "peak facility power");
    per_site("gpu_hours_stranded", &T::gpu_hours_stranded, 1, "h", "GPU-hours in service but dark");
    per_site("nodes_powered_at_end", &T::nodes_powered_at_end, 1, "1", "nodes powered at the end");
    per_site("peak_pflops_powered_at_end", &T::peak_flops_powered_at_end, 1e-15, "PFLOP/s",
             "dense BF16 peak of the GPUs powered at the end");
}

void add_tenant_series(RecordBuilder& add, const workload::WorkloadResult& w, SeriesCarry& carry) {
    add.group("tenants");
    const std::size_t n = w.tenants.size();
    auto ts = [&](const char* name, std::vector<double> v, const char* units, const char* what) {
        add.add(name, {"time", "tenant"}, units, what, std::move(v));
    };
    ts("submitted_jobs", w.submitted_jobs, "1", "jobs submitted in the step");
    ts("running_jobs", w.running_jobs, "1", "running jobs, mean over the step");
    ts("queued_jobs", w.queued_jobs, "1", "queued jobs, mean over the step");
    ts("busy_gpus", w.busy_gpus, "1", "GPUs held by the tenant's jobs, mean over the step");
    ts("queued_gpus", w.queued_gpus, "1", "GPUs asked for by queued jobs, mean over the step");
    ts("delivered_gpu_hours", w.delivered_gpu_hours, "h", "GPU-hours delivered in the step");
    std::vector<double> delivered = cumulative(w.delivered_gpu_hours, carry.delivered_gpu_hours), share(delivered.size());
    for (std::size_t step = 0; step * n < delivered.size(); ++step) {
        double sum = 0;
        for (std::size_t k = 0; k < n; ++k) sum += delivered[step * n + k];
        for (std::size_t k = 0; k < n; ++k) share[step * n + k] = sum > 0 ? delivered[step * n + k] / sum : 0.0;
    }
    ts("delivered_gpu_hours_cumulative", std::move(delivered), "h", "GPU-hours delivered since the start");
    ts("delivered_share", std::move(share), "1", "share of all GPU-hours delivered since the start");
}

void add_tenant_shares(RecordBuilder& add, const workload::WorkloadResult& w) {
    add.group("tenants");
    add.add("entitled_share", {"tenant"}, "1", "agreed share, normalised", w.entitled_share);
}

const char* const lost_gpu_hours_meaning = "GPU-hours held but lost: recomputed work, checkpoints, restarts";

/// The summary columns of one period's groups, along `axes` ({"group"}, or {"year", "group"} with
/// the periods year-major).
void add_summary_columns(RecordBuilder& add, const std::vector<const metrics::PeriodSummary*>& periods,
                         const std::vector<std::string>& axes) {
    std::vector<const metrics::GroupSummary*> rows;
    for (const auto* period : periods) {
        for (const auto* row : period->rows()) rows.push_back(row);
    }
    auto column = [&](const char* name, auto member, const char* units, const char* what) {
        std::vector<double> v;
        for (const auto* row : rows) v.push_back(static_cast<double>(row->*member));
        add.add(name, axes, units, what, std::move(v));
    };
    using G = metrics::GroupSummary;
    column("submitted", &G::submitted, "1", "jobs submitted");
    column("started", &G::started, "1", "jobs started at least once");
    column("completed", &G::completed, "1", "jobs completed");
    column("running", &G::running, "1", "jobs running at the end");
    column("queued", &G::queued, "1", "jobs queued at the end");
    column("still_waiting", &G::still_waiting, "1", "jobs never started by the end (censored waits)");
    column("rejected", &G::rejected, "1", "jobs rejected at submission");
    column("rejected_too_large", &G::rejected_too_large, "1", "rejected: more GPUs than will ever exist");
    column("rejected_no_matching_gpus", &G::rejected_no_matching_gpus, "1", "rejected: no allowed site and GPU type");
    column("rejected_over_max_walltime", &G::rejected_over_max_walltime, "1", "rejected: longer than max_walltime");
    column("preemptions", &G::preemptions, "1", "preemptions");
    column("wait_mean_s", &G::wait_mean_s, "s", "mean wait until first start (censored at the end)");
    column("wait_p50_s", &G::wait_p50_s, "s", "median wait");
    column("wait_p95_s", &G::wait_p95_s, "s", "95th percentile of wait");
    column("wait_p99_s", &G::wait_p99_s, "s", "99th percentile of wait");
    column("bounded_slowdown_mean", &G::bounded_slowdown_mean, "1", "mean bounded slowdown (tau 10 s) of completed jobs");
    column("demand_gpu_hours", &G::demand_gpu_hours, "h", "GPU-hours asked for by the jobs submitted");
    column("delivered_gpu_hours", &G::delivered_gpu_hours, "h", "GPU-hours delivered (tenants)");
    column("delivered_share", &G::delivered_share, "1", "share of all delivered GPU-hours (tenants)");
    column("entitled_share", &G::entitled_share, "1", "agreed share (tenants)");
    column("entitled_gpu_hours", &G::entitled_gpu_hours, "h", "entitled share of all delivered GPU-hours (tenants)");
    column("share_shortfall_gpu_hours", &G::share_shortfall_gpu_hours, "h",
           "max(0, min(entitled, demand) - delivered): short of the share and of what was asked (tenants)");
    column("interruptions", &G::interruptions, "1", "stops by a node failure");
    column("lost_gpu_hours", &G::lost_gpu_hours, "h", lost_gpu_hours_meaning);
    column("ettr_mean", &G::ettr_mean, "1", "mean effective training time ratio (ETTR) of completed jobs");
    column("ettr_weighted", &G::ettr_weighted, "1", "GPU-hour weighted ETTR of completed jobs");
}

void add_summary_variables(RecordBuilder& add, const metrics::WorkloadSummary& summary) {
    add.group("summary");
    add_summary_columns(add, {&summary}, {"group"});
    // The same figures for the jobs submitted in each calendar year.
    add.group("summary_by_year");
    std::vector<double> days;
    std::vector<const metrics::PeriodSummary*> years;
    for (std::size_t y = 0; y < summary.years.size(); ++y) {
        days.push_back((summary.years[y].to_s - summary.years[y].from_s) / seconds_per_day);
        years.push_back(&summary.by_year[y]);
    }
    add.add("days_in_horizon", {"year"}, "d", "days of the year inside the horizon", std::move(days));
    add_summary_columns(add, years, {"year", "group"});
}

void add_totals(RecordBuilder& add, const scenario::Scenario& scenario, const ScenarioResult& run) {
    add.group("totals");
    const std::string& currency = scenario.currency.code;
    const infra::SiteTotals all = infra::total_of(run.infra.totals);
    auto scalar = [&](const char* name, double value, const std::string& units, const char* what) {
        add.add(name, {}, units, what, {value});
    };
    scalar("total_it_energy_mwh", all.it_energy_mwh, "MWh", "IT energy over the run, all sites");
    scalar("total_energy_mwh", all.facility_energy_mwh, "MWh", "facility energy over the run, all sites");
    scalar("total_energy_cost", all.energy_cost, currency, "electricity cost over the run");
    scalar("total_carbon_t", all.carbon_t, "t", "emissions over the run, tonnes CO2e");
    scalar("total_capex_hardware", all.capex_hardware, currency, "hardware capex over the run");
    scalar("total_capex_facility", all.capex_facility, currency, "facility capex over the run");
    scalar("total_depreciation", all.depreciation, currency, "depreciation over the run");
    scalar("total_cost", all.capex_hardware + all.capex_facility + all.energy_cost, currency,
           "capex (hardware and facility) and electricity over the run");
    scalar("gpus_installed_at_end", all.gpus_installed_at_end, "1", "GPUs installed at the end");
    scalar("gpus_powered_at_end", all.gpus_powered_at_end, "1", "GPUs powered at the end");
    scalar("nodes_powered_at_end", all.nodes_powered_at_end, "1", "nodes powered at the end");
    scalar("peak_pflops_powered_at_end", all.peak_flops_powered_at_end / 1e15, "PFLOP/s",
           "dense BF16 peak of the GPUs powered at the end");
    scalar("gpu_hours_stranded", all.gpu_hours_stranded, "h", "GPU-hours in service but dark");
    scalar("events", static_cast<double>(run.events), "1", "events simulated");
    if (!scenario.has_workloads()) return;
    const auto& w = run.workload;
    const metrics::GroupSummary& all_jobs = run.workload_summary.all;
    scalar("jobs", static_cast<double>(w.jobs_total()), "1", "jobs submitted");
    scalar("jobs_completed", static_cast<double>(all_jobs.completed), "1", "jobs completed");
    scalar("jobs_rejected", static_cast<double>(all_jobs.rejected), "1", "jobs rejected");
    scalar("preemptions", static_cast<double>(w.preemptions), "1", "preemptions");
    scalar("demand_gpu_hours", all_jobs.demand_gpu_hours, "h", "GPU-hours asked for by the jobs submitted");
    scalar("delivered_gpu_hours", all_jobs.delivered_gpu_hours, "h", "GPU-hours delivered");
    scalar("interruptions", static_cast<double>(w.interruptions), "1", "stops by a node failure");
    scalar("lost_gpu_hours", all_jobs.lost_gpu_hours, "h", lost_gpu_hours_meaning);
}

} // namespace

std::size_t RunAxes::length(const std::string& axis) const {
    if (axis == "time") return time_h.size();
    if (axis == "site") return sites.size();
    if (axis == "gpu") return gpus.size();
    if (axis == "tenant") return tenants.size();
    if (axis == "group") return summary_groups.size();
    if (axis == "year") return years.size();
    throw InternalError("run record: no axis '" + axis + "'");
}

SeriesRows series_rows(const scenario::Scenario& scenario, const ScenarioResult& result, SeriesCarry& carry) {
    const std::size_t sites = result.infra.sites.size(), tenants = result.workload.tenants.size();
    if (carry.energy_mwh.size() != sites) {
        for (auto* sums : {&carry.energy_mwh, &carry.energy_cost, &carry.carbon_t, &carry.capex, &carry.depreciation}) {
            sums->assign(sites, 0.0);
        }
        carry.delivered_gpu_hours.assign(tenants, 0.0);
    }
    SeriesRows rows;
    const infra::InfrastructureSeries& s = result.infra.series;
    for (std::size_t i = 0; i < s.step_start_s.size(); ++i) {
        rows.time_h.push_back((s.step_start_s[i] - scenario.start_s) / 3600.0);
        rows.time_bounds_h.push_back(rows.time_h.back());
        rows.time_bounds_h.push_back((s.step_end_s[i] - scenario.start_s) / 3600.0);
    }
    const RunAxes axes = make_axes(scenario, result);
    RecordBuilder add(axes, rows.steps(), rows.variables);
    add_site_series(add, scenario, result.infra, carry);
    add_site_failure_series(add, result.workload, rows.steps(), sites);
    if (scenario.has_workloads()) add_tenant_series(add, result.workload, carry);
    return rows;
}

RunRecord final_variables(const scenario::Scenario& scenario, const ScenarioResult& result) {
    RunRecord record;
    record.axes = make_axes(scenario, result);
    RecordBuilder add(record.axes, 0, record.variables);
    add_site_totals(add, scenario, result.infra);
    if (scenario.has_workloads()) {
        add_tenant_shares(add, result.workload);
        add_summary_variables(add, result.workload_summary);
    }
    add_totals(add, scenario, result);
    return record;
}

RunRecord make_run_record(const scenario::Scenario& scenario, const ScenarioResult& result) {
    SeriesCarry carry;
    SeriesRows rows = series_rows(scenario, result, carry);
    RunRecord record = final_variables(scenario, result);
    record.axes.time_h = std::move(rows.time_h);
    record.axes.time_bounds_h = std::move(rows.time_bounds_h);
    record.variables.insert(record.variables.begin(), std::make_move_iterator(rows.variables.begin()),
                            std::make_move_iterator(rows.variables.end()));
    return record;
}

void clear_series_rows(ScenarioResult& result) {
    infra::InfrastructureSeries& s = result.infra.series;
    for (auto* v : {&s.step_start_s, &s.step_end_s, &s.grid_capacity_mean_w, &s.pue_mean, &s.it_power_mean_w,
                    &s.it_power_peak_w, &s.facility_power_mean_w, &s.facility_power_peak_w, &s.it_energy_mwh,
                    &s.facility_energy_mwh, &s.energy_cost, &s.carbon_t, &s.capex, &s.depreciation, &s.installed_gpus,
                    &s.in_service_gpus, &s.powered_gpus, &s.powered_nodes, &s.stranded_gpus, &s.retired_gpus}) {
        v->clear();
    }
    workload::WorkloadResult& w = result.workload;
    for (auto* v : {&w.submitted_jobs, &w.running_jobs, &w.queued_jobs, &w.busy_gpus, &w.queued_gpus,
                    &w.delivered_gpu_hours, &w.node_failures, &w.nodes_in_repair, &w.unavailable_gpu_hours}) {
        v->clear();
    }
}

double total(const RunRecord& record, const std::string& name) {
    for (const auto& v : record.variables) {
        if (v.group == "totals" && v.name == name) return v.values.front();
    }
    return std::numeric_limits<double>::quiet_NaN();
}

} // namespace capsim::run
