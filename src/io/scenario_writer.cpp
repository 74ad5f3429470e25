#include "capsim/io/scenario_writer.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <numeric>
#include <vector>

#include "capsim/io/hdf5_file.hpp"
#include "capsim/metrics/workload_summary.hpp"
#include "capsim/scenario/resolved_scenario.hpp"
#include "capsim/scenario/workload_spec.hpp"
#include "capsim/util/calendar.hpp"

namespace capsim::io {
namespace {

std::vector<double> scaled(const std::vector<double>& values, double factor) {
    std::vector<double> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = values[i] * factor;
    return out;
}

/// Running sums along time of a (time, site) array.
std::vector<double> cumulative(const std::vector<double>& values, std::size_t sites) {
    std::vector<double> out(values);
    for (std::size_t i = sites; i < out.size(); ++i) out[i] += out[i - sites];
    return out;
}

void write_workload_groups(File& file, const scenario::Scenario& scenario, const run::ScenarioResult& run);
Dataset time_coordinate(const Group& group, const scenario::Scenario& scenario, const infra::InfrastructureSeries& s);

void write_run_groups(File& file, const scenario::Scenario& scenario, const run::ScenarioResult& run) {
    const infra::InfrastructureResult& result = run.infra;
    const std::string& currency = scenario.currency.code;
    file.set_attribute("Conventions", "CF-1.8");
    file.set_attribute("title", "capsim scenario run: " + scenario.name);
    file.set_attribute("capsim_version", CAPSIM_VERSION);
    file.set_attribute("capsim_revision", CAPSIM_GIT_REVISION);
    file.set_attribute("layout_version", std::int64_t{1}); // docs/output.md; bumped when the layout changes
    file.set_attribute("scenario", scenario.name);
    file.set_attribute("scenario_text", scenario.text);
    std::string overrides;
    for (const auto& o : scenario.overrides) overrides += (overrides.empty() ? "" : "\n") + o;
    file.set_attribute("scenario_overrides", overrides);
    file.set_attribute("scenario_with_overrides", scenario.resolved_text);
    file.set_attribute("scenario_resolved", scenario::resolved_yaml(scenario));
    file.set_attribute("source", scenario.source);
    file.set_attribute("start", format_datetime(scenario.start_s));
    file.set_attribute("end", format_datetime(scenario.end_s));
    file.set_attribute("seed", static_cast<std::int64_t>(scenario.seed));
    file.set_attribute("timestep_s", scenario.timestep_s);
    file.set_attribute("currency", currency);

    const infra::SiteTotals all = infra::total_of(result.totals);
    file.set_attribute("total_it_energy_mwh", all.it_energy_mwh);
    file.set_attribute("total_energy_mwh", all.facility_energy_mwh);
    file.set_attribute("total_energy_cost", all.energy_cost);
    file.set_attribute("total_carbon_t", all.carbon_t);
    file.set_attribute("total_capex_hardware", all.capex_hardware);
    file.set_attribute("total_capex_facility", all.capex_facility);
    file.set_attribute("total_depreciation", all.depreciation);
    file.set_attribute("gpus_installed_at_end", all.gpus_installed_at_end);
    file.set_attribute("gpus_powered_at_end", all.gpus_powered_at_end);
    file.set_attribute("gpu_hours_stranded", all.gpu_hours_stranded);
    file.set_attribute("wall_time_s", result.wall_time_s);

    const infra::InfrastructureSeries& s = result.series;
    const std::size_t sites = result.sites.size();
    {
        Group group = file.create_group("sites");
        group.set_attribute("description", "per site over time; means and totals cover [time, time_bounds[:, 1])");
        const Dataset time = time_coordinate(group, scenario, s);
        const Dataset site = group.create_string_coordinate("site", result.sites);
        const Dataset gpu = group.create_string_coordinate("gpu", result.gpu_types);

        auto ts = [&](const char* name, const std::vector<double>& v, const std::string& units, const char* what) {
            group.write_array(name, v, {&time, &site}, units, what);
        };
        ts("grid_capacity_mw", scaled(s.grid_capacity_mean_w, 1e-6), "MW", "grid capacity, mean over the step");
        ts("pue", s.pue_mean, "1", "power usage effectiveness, mean over the step");
        ts("it_power_mw", scaled(s.it_power_mean_w, 1e-6), "MW", "IT power, mean over the step");
        ts("it_power_peak_mw", scaled(s.it_power_peak_w, 1e-6), "MW", "IT power, peak within the step");
        ts("facility_power_mw", scaled(s.facility_power_mean_w, 1e-6), "MW", "facility power (IT x PUE), mean over the step");
        ts("facility_power_peak_mw", scaled(s.facility_power_peak_w, 1e-6), "MW", "facility power, peak within the step");
        ts("it_energy_mwh", s.it_energy_mwh, "MWh", "IT energy in the step");
        ts("energy_mwh", s.facility_energy_mwh, "MWh", "facility energy in the step");
        ts("energy_cumulative_mwh", cumulative(s.facility_energy_mwh, sites), "MWh", "facility energy since the start");
        ts("energy_cost", s.energy_cost, currency, "electricity cost in the step");
        ts("energy_cost_cumulative", cumulative(s.energy_cost, sites), currency, "electricity cost since the start");
        ts("carbon_t", s.carbon_t, "t", "emissions in the step, tonnes CO2e");
        ts("carbon_cumulative_t", cumulative(s.carbon_t, sites), "t", "emissions since the start, tonnes CO2e");
        ts("capex", s.capex, currency, "capital expenditure booked in the step (orders, grid capacity)");
        ts("capex_cumulative", cumulative(s.capex, sites), currency, "capital expenditure since the start");
        ts("depreciation", s.depreciation, currency, "straight-line depreciation in the step");
        ts("depreciation_cumulative", cumulative(s.depreciation, sites), currency, "depreciation since the start");

        auto gpus = [&](const char* name, const std::vector<double>& v, const char* what) {
            group.write_array(name, v, {&time, &site, &gpu}, "1", what);
        };
        gpus("installed_gpus", s.installed_gpus, "GPUs delivered and not retired, mean over the step");
        gpus("in_service_gpus", s.in_service_gpus, "GPUs commissioned and not retired, mean over the step");
        gpus("powered_gpus", s.powered_gpus, "in-service GPUs within the grid cap, mean over the step");
        gpus("stranded_gpus", s.stranded_gpus, "in-service GPUs the grid cannot power, mean over the step");
        gpus("retired_gpus", s.retired_gpus, "GPUs retired so far, mean over the step");

        auto per_site = [&](const char* name, auto member, double factor, const std::string& units, const char* what) {
            std::vector<double> v;
            for (const auto& t : result.totals) v.push_back(t.*member * factor);
            group.write_array(name, v, {&site}, units, what);
        };
        per_site("total_it_energy_mwh", &infra::SiteTotals::it_energy_mwh, 1, "MWh", "IT energy over the run");
        per_site("total_energy_mwh", &infra::SiteTotals::facility_energy_mwh, 1, "MWh", "facility energy over the run");
        per_site("total_energy_cost", &infra::SiteTotals::energy_cost, 1, currency, "electricity cost over the run");
        per_site("total_carbon_t", &infra::SiteTotals::carbon_t, 1, "t", "emissions over the run, tonnes CO2e");
        per_site("total_capex_hardware", &infra::SiteTotals::capex_hardware, 1, currency, "hardware capex over the run");
        per_site("total_capex_facility", &infra::SiteTotals::capex_facility, 1, currency, "facility capex over the run");
        per_site("total_depreciation", &infra::SiteTotals::depreciation, 1, currency, "depreciation over the run");
        per_site("peak_facility_power_mw", &infra::SiteTotals::facility_power_peak_w, 1e-6, "MW", "peak facility power");
        per_site("gpu_hours_stranded", &infra::SiteTotals::gpu_hours_stranded, 1, "h", "GPU-hours in service but dark");
    }
    if (scenario.has_workloads()) write_workload_groups(file, scenario, run);
}

/// The CF time coordinate of the output steps (hours since the scenario start, so xarray decodes
/// real dates) and their bounds, in a group of its own.
Dataset time_coordinate(const Group& group, const scenario::Scenario& scenario, const infra::InfrastructureSeries& s) {
    const std::size_t steps = s.step_start_s.size();
    const std::string since = "hours since " + format_datetime(scenario.start_s);
    std::vector<double> hours(steps), bounds(2 * steps);
    for (std::size_t i = 0; i < steps; ++i) {
        hours[i] = (s.step_start_s[i] - scenario.start_s) / 3600.0;
        bounds[2 * i] = hours[i];
        bounds[2 * i + 1] = (s.step_end_s[i] - scenario.start_s) / 3600.0;
    }
    Dataset time = group.create_coordinate("time", hours, since);
    time.set_attribute("calendar", "proleptic_gregorian");
    time.set_attribute("standard_name", "time");
    time.set_attribute("long_name", "start of the output step");
    time.set_attribute("bounds", "time_bounds");
    const Dataset nv = group.create_dimension("nv", 2);
    const Dataset tb = group.write_array("time_bounds", bounds, {&time, &nv}, since, "output step start and end");
    tb.set_attribute("calendar", "proleptic_gregorian");
    return time;
}

void write_workload_groups(File& file, const scenario::Scenario& scenario, const run::ScenarioResult& run) {
    const workload::WorkloadResult& w = run.workload;
    const auto& summary = w.summary;
    file.set_attribute("jobs", static_cast<std::int64_t>(w.jobs_total()));
    file.set_attribute("jobs_completed", static_cast<std::int64_t>(summary.all.completed));
    file.set_attribute("jobs_rejected", static_cast<std::int64_t>(summary.all.rejected));
    file.set_attribute("preemptions", static_cast<std::int64_t>(w.preemptions));
    file.set_attribute("delivered_gpu_hours", summary.all.delivered_gpu_hours);
    {
        Group group = file.create_group("tenants");
        group.set_attribute("description", "per tenant over time; time-means and totals cover each output step");
        const Dataset time = time_coordinate(group, scenario, run.infra.series);
        const Dataset tenant = group.create_string_coordinate("tenant", w.tenants);
        const std::size_t n = w.tenants.size();
        auto ts = [&](const char* name, const std::vector<double>& v, const char* units, const char* what) {
            group.write_array(name, v, {&time, &tenant}, units, what);
        };
        ts("submitted_jobs", w.submitted_jobs, "1", "jobs submitted in the step");
        ts("running_jobs", w.running_jobs, "1", "running jobs, mean over the step");
        ts("queued_jobs", w.queued_jobs, "1", "queued jobs, mean over the step");
        ts("busy_gpus", w.busy_gpus, "1", "GPUs held by the tenant's jobs, mean over the step");
        ts("queued_gpus", w.queued_gpus, "1", "GPUs asked for by queued jobs, mean over the step");
        ts("delivered_gpu_hours", w.delivered_gpu_hours, "h", "GPU-hours delivered in the step");
        std::vector<double> cumulative(w.delivered_gpu_hours), share(w.delivered_gpu_hours.size());
        for (std::size_t i = n; i < cumulative.size(); ++i) cumulative[i] += cumulative[i - n];
        for (std::size_t step = 0; step * n < cumulative.size(); ++step) {
            double total = 0;
            for (std::size_t k = 0; k < n; ++k) total += cumulative[step * n + k];
            for (std::size_t k = 0; k < n; ++k) share[step * n + k] = total > 0 ? cumulative[step * n + k] / total : 0.0;
        }
        ts("delivered_gpu_hours_cumulative", cumulative, "h", "GPU-hours delivered since the start");
        ts("delivered_share", share, "1", "share of all GPU-hours delivered since the start");
        group.write_array("entitled_share", w.entitled_share, {&tenant}, "1", "agreed share, normalised");
    }
    {
        Group group = file.create_group("summary");
        group.set_attribute("description", "per tenant and per job class: counts, waits, slowdown, delivered share");
        std::vector<std::string> names;
        std::vector<const metrics::GroupSummary*> rows;
        for (const auto& t : summary.tenants) {
            names.push_back("tenant:" + t.name);
            rows.push_back(&t);
        }
        for (const auto& c : summary.classes) {
            names.push_back("class:" + c.name);
            rows.push_back(&c);
        }
        names.push_back("all");
        rows.push_back(&summary.all);
        const Dataset group_dim = group.create_string_coordinate("group", names);
        auto column = [&](const char* name, auto member, const char* units, const char* what) {
            std::vector<double> v;
            for (const auto* row : rows) v.push_back(static_cast<double>(row->*member));
            group.write_array(name, v, {&group_dim}, units, what);
        };
        using G = metrics::GroupSummary;
        column("submitted", &G::submitted, "1", "jobs submitted");
        column("completed", &G::completed, "1", "jobs completed");
        column("running", &G::running, "1", "jobs running at the end");
        column("queued", &G::queued, "1", "jobs queued at the end");
        column("rejected", &G::rejected, "1", "jobs rejected at submission");
        column("rejected_too_large", &G::rejected_too_large, "1", "rejected: more GPUs than will ever exist");
        column("rejected_no_matching_gpus", &G::rejected_no_matching_gpus, "1", "rejected: no allowed site and GPU type");
        column("rejected_over_max_walltime", &G::rejected_over_max_walltime, "1", "rejected: longer than max_walltime");
        column("preemptions", &G::preemptions, "1", "preemptions");
        column("wait_mean_s", &G::wait_mean_s, "s", "mean wait of started jobs");
        column("wait_p50_s", &G::wait_p50_s, "s", "median wait");
        column("wait_p95_s", &G::wait_p95_s, "s", "95th percentile of wait");
        column("wait_p99_s", &G::wait_p99_s, "s", "99th percentile of wait");
        column("bounded_slowdown_mean", &G::bounded_slowdown_mean, "1", "mean bounded slowdown (tau 10 s) of completed jobs");
        column("delivered_gpu_hours", &G::delivered_gpu_hours, "h", "GPU-hours delivered (tenants)");
        column("delivered_share", &G::delivered_share, "1", "share of all delivered GPU-hours (tenants)");
        column("entitled_share", &G::entitled_share, "1", "agreed share (tenants)");
    }
}

} // namespace

// ---- the job table, written as rows arrive ----

struct JobTableWriter::Columns {
    Group group;
    std::vector<std::pair<const char*, Dataset>> integers, reals;
};

JobTableWriter::JobTableWriter(const File& file, const scenario::Scenario& scenario)
    : scenario_(scenario), columns_(std::make_unique<Columns>(Columns{file.create_group("jobs"), {}, {}})) {
    Group& g = columns_->group;
    g.set_attribute("description", "one row per submitted job, in submission order");
    const std::string since = "s since " + format_datetime(scenario.start_s);
    auto integer = [&](const char* name, const char* what) {
        columns_->integers.emplace_back(name, g.create_extendable_column(name, true, "1", what));
    };
    auto real = [&](const char* name, const std::string& what) {
        columns_->reals.emplace_back(name, g.create_extendable_column(name, false, "s", what));
    };
    integer("tenant", "tenant (index into the tenants group)");
    integer("workload", "workload (in scenario order)");
    integer("class", "job class");
    integer("site", "site of the last start (-1: never started)");
    integer("gpu_type", "GPU type of the last start (-1: never started)");
    integer("state", "state at the end of the run");
    integer("rejection", "why a job was rejected");
    integer("gpus", "GPUs asked for");
    integer("preemptions", "times preempted or stopped");
    real("submit", "submit time, " + since);
    real("first_start", "first start, " + since + "; NaN if never");
    real("start", "last start (after preemptions), " + since + "; NaN if never");
    real("end", "end, " + since + "; NaN unless completed");
    real("wait", "first start - submit; NaN if never started");
    real("run", "run time of the completed run; NaN otherwise");
}

JobTableWriter::~JobTableWriter() = default;

void JobTableWriter::write(std::span<const workload::JobRecord> rows) {
    const auto started = std::chrono::steady_clock::now();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double t0 = scenario_.start_s;
    std::vector<std::int64_t> ints(rows.size());
    std::vector<double> reals(rows.size());
    auto put_int = [&](std::size_t column, auto field) {
        for (std::size_t i = 0; i < rows.size(); ++i) ints[i] = field(rows[i]);
        columns_->integers[column].second.append(std::span<const std::int64_t>(ints));
    };
    auto put_real = [&](std::size_t column, auto field) {
        for (std::size_t i = 0; i < rows.size(); ++i) reals[i] = field(rows[i]);
        columns_->reals[column].second.append(std::span<const double>(reals));
    };
    using R = workload::JobRecord;
    put_int(0, [](const R& r) { return static_cast<std::int64_t>(r.tenant); });
    put_int(1, [](const R& r) { return static_cast<std::int64_t>(r.workload); });
    put_int(2, [](const R& r) { return static_cast<std::int64_t>(r.job_class); });
    put_int(3, [](const R& r) { return static_cast<std::int64_t>(r.site); });
    put_int(4, [](const R& r) { return static_cast<std::int64_t>(r.gpu_type); });
    put_int(5, [](const R& r) { return static_cast<std::int64_t>(r.state); });
    put_int(6, [](const R& r) { return static_cast<std::int64_t>(r.rejection); });
    put_int(7, [](const R& r) { return static_cast<std::int64_t>(r.gpus); });
    put_int(8, [](const R& r) { return static_cast<std::int64_t>(r.preemptions); });
    put_real(0, [&](const R& r) { return r.submit_s - t0; });
    put_real(1, [&](const R& r) { return r.first_start_s >= 0 ? r.first_start_s - t0 : nan; });
    put_real(2, [&](const R& r) { return r.start_s >= 0 ? r.start_s - t0 : nan; });
    put_real(3, [&](const R& r) { return r.end_s >= 0 ? r.end_s - t0 : nan; });
    put_real(4, [&](const R& r) { return r.first_start_s >= 0 ? r.first_start_s - r.submit_s : nan; });
    put_real(5, [&](const R& r) { return r.state == workload::JobState::completed ? r.run_s : nan; });
    rows_ += rows.size();
    write_time_s_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

void JobTableWriter::finish(const run::ScenarioResult& run) {
    if (!run.workload.jobs.empty()) { // rows kept in memory (no streaming): write them now
        const std::vector<workload::JobRecord> rest(run.workload.jobs.begin(), run.workload.jobs.end());
        write(rest);
    }
    Group& g = columns_->group;
    const Dataset job = g.create_dimension("job", rows_);
    for (auto& [name, column] : columns_->integers) column.attach_dimension(job);
    for (auto& [name, column] : columns_->reals) column.attach_dimension(job);
    // Categories as small integer codes with their meanings, in order (CF flag_meanings).
    auto meanings = [&](std::size_t column, const std::vector<std::string>& names) {
        std::string flags;
        for (std::size_t i = 0; i < names.size(); ++i) {
            std::string m = names[i];
            std::replace(m.begin(), m.end(), ' ', '_');
            flags += (i ? " " : "") + m;
        }
        std::vector<std::int64_t> values(names.size());
        for (std::size_t i = 0; i < names.size(); ++i) values[i] = static_cast<std::int64_t>(i);
        columns_->integers[column].second.set_attribute("flag_meanings", flags);
        columns_->integers[column].second.set_attribute("flag_values", std::span<const std::int64_t>(values));
    };
    std::vector<std::string> classes, sites;
    for (int c = 0; c < scenario::job_class_count; ++c) classes.push_back(scenario::to_string(static_cast<scenario::JobClass>(c)));
    for (const auto& s : scenario_.sites) sites.push_back(s.name);
    meanings(0, run.workload.tenants);
    meanings(1, run.workload.workloads);
    meanings(2, classes);
    meanings(3, sites);
    meanings(4, run.infra.gpu_types);
    meanings(5, {"completed", "running", "queued", "rejected"});
    meanings(6, {"none", "no matching GPUs", "too large", "over max walltime"});
}

// ---- the whole file ----

ScenarioResultsFile::ScenarioResultsFile(const std::string& path, const scenario::Scenario& scenario, bool with_jobs)
    : scenario_(scenario), file_(std::make_unique<File>(File::create(path))) {
    if (with_jobs && scenario.has_workloads()) jobs_ = std::make_unique<JobTableWriter>(*file_, scenario);
}

ScenarioResultsFile::~ScenarioResultsFile() = default;

void ScenarioResultsFile::finish(const run::ScenarioResult& run) {
    const auto started = std::chrono::steady_clock::now();
    write_run_groups(*file_, scenario_, run);
    if (jobs_) jobs_->finish(run);
    file_->close();
    write_time_s_ = (jobs_ ? jobs_->write_time_s() : 0.0) +
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

void write_scenario_results(const std::string& path, const scenario::Scenario& scenario, const run::ScenarioResult& run) {
    ScenarioResultsFile file(path, scenario, true);
    file.finish(run);
}

} // namespace capsim::io
