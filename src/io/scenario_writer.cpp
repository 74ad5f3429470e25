#include "capsim/io/scenario_writer.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <tuple>
#include <vector>

#include "capsim/io/hdf5_file.hpp"
#include "capsim/io/record_layout.hpp"
#include "capsim/run/run_record.hpp"
#include "capsim/metrics/workload_summary.hpp"
#include "capsim/scenario/resolved_scenario.hpp"
#include "capsim/util/calendar.hpp"
#include "capsim/util/strings.hpp"
#include "capsim/workload/job_class.hpp"

namespace capsim::io {
namespace {

/// The totals of a run, also as root attributes (counts as integers), for a quick look with h5dump.
void write_total_attributes(const File& file, const run::RunRecord& record) {
    for (const auto& v : record.variables) {
        if (v.group != "totals") continue;
        const bool count = v.name == "jobs" || v.name == "jobs_completed" || v.name == "jobs_rejected" ||
                           v.name == "preemptions" || v.name == "interruptions" || v.name == "events";
        if (count) file.set_attribute(v.name, static_cast<std::int64_t>(v.values.front()));
        else file.set_attribute(v.name, v.values.front());
    }
}

} // namespace

void write_scenario_provenance(const File& file, const scenario::Scenario& scenario) {
    file.set_attribute("Conventions", "CF-1.8");
    file.set_attribute("capsim_version", CAPSIM_VERSION);
    file.set_attribute("capsim_revision", CAPSIM_GIT_REVISION);
    file.set_attribute("layout_version", results_layout_version);
    file.set_attribute("scenario", scenario.name);
    file.set_attribute("scenario_text", scenario.text);
    file.set_attribute("scenario_overrides", join(scenario.overrides, "\n"));
    file.set_attribute("scenario_with_overrides", scenario.resolved_text);
    file.set_attribute("scenario_resolved", scenario::resolved_yaml(scenario));
    file.set_attribute("source", scenario.source);
    file.set_attribute("start", format_datetime(scenario.start_s));
    file.set_attribute("end", format_datetime(scenario.end_s));
    file.set_attribute("seed", static_cast<std::int64_t>(scenario.seed));
    file.set_attribute("timestep_s", scenario.timestep_s);
    file.set_attribute("currency", scenario.currency.code);
}

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
    auto real = [&](const char* name, const std::string& what, const char* units = "s") {
        columns_->reals.emplace_back(name, g.create_extendable_column(name, false, units, what));
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
    // What failures and stops cost the job, after the columns above (older files end there).
    integer("interruptions", "times a node failure stopped it");
    real("productive", "wall time spent on work the job kept");
    real("lost_gpu_hours", "GPU-hours held but lost: recomputed work, checkpoints, restarts", "h");
    real("ettr", "productive time / (end - first start); NaN unless completed", "1");
    real("demand_gpu_hours", "GPU-hours asked for within the horizon, on the first-choice GPU type", "h");
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
    put_int(9, [](const R& r) { return static_cast<std::int64_t>(r.interruptions); });
    put_real(0, [&](const R& r) { return r.submit_s - t0; });
    put_real(1, [&](const R& r) { return r.first_start_s >= 0 ? r.first_start_s - t0 : nan; });
    put_real(2, [&](const R& r) { return r.start_s >= 0 ? r.start_s - t0 : nan; });
    put_real(3, [&](const R& r) { return r.end_s >= 0 ? r.end_s - t0 : nan; });
    put_real(4, [&](const R& r) { return r.first_start_s >= 0 ? r.first_start_s - r.submit_s : nan; });
    put_real(5, [&](const R& r) { return r.state == workload::JobState::completed ? r.run_s : nan; });
    put_real(6, [](const R& r) { return r.productive_s; });
    put_real(7, [](const R& r) { return r.lost_gpu_hours; });
    put_real(8, [](const R& r) { return metrics::job_ettr(r); });
    put_real(9, [](const R& r) { return r.demand_gpu_hours; });
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
    for (int c = 0; c < workload::job_class_count; ++c) {
        classes.push_back(workload::to_string(static_cast<workload::JobClass>(c)));
    }
    for (const auto& s : scenario_.sites) sites.push_back(s.name);
    meanings(0, run.workload.tenants);
    meanings(1, run.workload.workloads);
    meanings(2, classes);
    meanings(3, sites);
    meanings(4, run.infra.gpu_types);
    meanings(5, {"completed", "running", "queued", "rejected"});
    meanings(6, {"none", "no matching GPUs", "too large", "over max walltime"});
}

// ---- the time series, written a batch of steps at a time ----

struct SeriesTableWriter::Tables {
    struct GroupTables {
        std::optional<Group> group;
        AxisDatasets axes;                 // site, gpu, tenant: known from the first rows
        std::optional<Dataset> time, time_bounds;
    };
    std::map<std::string, GroupTables> groups;
    std::vector<std::pair<std::string, Dataset>> variables; // group and dataset, in the order of the rows
    std::vector<std::vector<std::string>> variable_axes;
};

SeriesTableWriter::SeriesTableWriter(const File& file, const scenario::Scenario& scenario)
    : file_(file), scenario_(scenario), tables_(std::make_unique<Tables>()) {}

SeriesTableWriter::~SeriesTableWriter() = default;

void SeriesTableWriter::step_closed(run::ScenarioResult& result) {
    // A batch of about a thousand steps: few HDF5 calls, and a run never holds many more rows.
    constexpr std::size_t batch_steps = 1024;
    if (result.infra.series.step_start_s.size() < batch_steps) return;
    write(result);
    run::clear_series_rows(result);
}

void SeriesTableWriter::create_tables(const run::ScenarioResult& result, const run::SeriesRows& rows) {
    const run::RunRecord final_record = run::final_variables(scenario_, result); // for the axes
    for (const auto& v : rows.variables) {
        Tables::GroupTables& g = tables_->groups[v.group];
        if (!g.group) {
            g.group.emplace(file_.create_group(v.group));
            g.group->set_attribute("description", group_description(v.group));
            std::vector<std::string> names;
            for (const auto& other : rows.variables) {
                if (other.group != v.group) continue;
                for (const auto& axis : other.axes) {
                    if (axis != "time" && std::find(names.begin(), names.end(), axis) == names.end()) names.push_back(axis);
                }
            }
            g.axes = write_axes(*g.group, final_record.axes, names);
            g.time.emplace(g.group->create_extendable_column("time", false, final_record.axes.time_units,
                                                             "start of the output step"));
            const std::size_t two[] = {2};
            g.time_bounds.emplace(g.group->create_extendable_array("time_bounds", two, final_record.axes.time_units,
                                                                   "output step start and end"));
        }
        std::vector<std::size_t> row_shape;
        for (std::size_t i = 1; i < v.axes.size(); ++i) row_shape.push_back(final_record.axes.length(v.axes[i]));
        tables_->variables.emplace_back(v.group, g.group->create_extendable_array(v.name, row_shape, v.units, v.long_name));
        tables_->variable_axes.push_back(v.axes);
    }
}

void SeriesTableWriter::write(const run::ScenarioResult& result) {
    const auto started = std::chrono::steady_clock::now();
    const run::SeriesRows rows = run::series_rows(scenario_, result, carry_);
    if (tables_->variables.empty()) create_tables(result, rows);
    if (rows.steps() > 0) {
        for (auto& [name, g] : tables_->groups) {
            g.time->append(std::span<const double>(rows.time_h));
            g.time_bounds->append(std::span<const double>(rows.time_bounds_h));
        }
        for (std::size_t i = 0; i < rows.variables.size(); ++i) {
            tables_->variables.at(i).second.append(std::span<const double>(rows.variables[i].values));
        }
    }
    write_time_s_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

void SeriesTableWriter::finish(const run::ScenarioResult& result) {
    write(result); // the rows since the last batch
    for (auto& [name, g] : tables_->groups) {
        g.time->make_dimension_scale("time");
        g.time->set_attribute("calendar", "proleptic_gregorian");
        g.time->set_attribute("standard_name", "time");
        g.time->set_attribute("bounds", "time_bounds");
        const Dataset nv = g.group->create_dimension("nv", 2);
        g.time_bounds->attach_dimension(*g.time, 0);
        g.time_bounds->attach_dimension(nv, 1);
        g.time_bounds->set_attribute("calendar", "proleptic_gregorian");
    }
    for (std::size_t i = 0; i < tables_->variables.size(); ++i) {
        auto& [group, dataset] = tables_->variables[i];
        Tables::GroupTables& g = tables_->groups.at(group);
        const auto& axes = tables_->variable_axes[i];
        for (std::size_t axis = 0; axis < axes.size(); ++axis) {
            dataset.attach_dimension(axes[axis] == "time" ? *g.time : g.axes.at(axes[axis]), static_cast<unsigned>(axis));
        }
    }
}

std::optional<std::pair<Group*, AxisDatasets*>> SeriesTableWriter::group(const std::string& name) {
    auto it = tables_->groups.find(name);
    if (it == tables_->groups.end()) return std::nullopt;
    return std::make_pair(&*it->second.group, &it->second.axes);
}

// ---- the whole file ----

ScenarioResultsFile::ScenarioResultsFile(const std::string& path, const scenario::Scenario& scenario, bool with_jobs)
    : scenario_(scenario), file_(std::make_unique<File>(File::create(path))),
      series_(std::make_unique<SeriesTableWriter>(*file_, scenario)) {
    if (with_jobs && scenario.has_workloads()) jobs_ = std::make_unique<JobTableWriter>(*file_, scenario);
}

ScenarioResultsFile::~ScenarioResultsFile() = default;

void ScenarioResultsFile::finish(const run::ScenarioResult& run) {
    const double streamed_s = series_->write_time_s() + (jobs_ ? jobs_->write_time_s() : 0.0);
    const auto started = std::chrono::steady_clock::now();
    series_->finish(run);
    File& file = *file_;
    write_scenario_provenance(file, scenario_);
    file.set_attribute("title", "capsim scenario run: " + scenario_.name);
    file.set_attribute("wall_time_s", run.wall_time_s);
    // What has no time axis: totals per site, shares, the summary and the run's totals.
    const run::RunRecord record = run::final_variables(scenario_, run);
    write_total_attributes(file, record);
    for (const std::string& name : run::run_groups) {
        bool any = false;
        for (const auto& v : record.variables) any = any || v.group == name;
        if (!any) continue;
        std::optional<Group> created;
        AxisDatasets created_axes;
        Group* group = nullptr;
        AxisDatasets* axes = nullptr;
        if (auto existing = series_->group(name)) {
            std::tie(group, axes) = *existing;
        } else {
            created.emplace(file.create_group(name));
            created->set_attribute("description", group_description(name));
            created_axes = write_axes(*created, record.axes, axes_of_group(record, name));
            group = &*created;
            axes = &created_axes;
        }
        for (const auto& v : record.variables) {
            if (v.group != name) continue;
            std::vector<const Dataset*> dims;
            for (const auto& a : v.axes) dims.push_back(&axes->at(a));
            group->write_array(v.name, v.values, dims, v.units, v.long_name);
        }
    }
    if (jobs_) jobs_->finish(run);
    series_.reset(); // their groups close before the file
    jobs_.reset();
    file.close();
    write_time_s_ = streamed_s + std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

void write_scenario_results(const std::string& path, const scenario::Scenario& scenario, const run::ScenarioResult& run) {
    ScenarioResultsFile file(path, scenario, true);
    file.finish(run);
}

} // namespace capsim::io
