#include "capsim/io/scenario_writer.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <numeric>
#include <vector>

#include "capsim/io/hdf5_file.hpp"
#include "capsim/io/record_layout.hpp"
#include "capsim/run/run_record.hpp"
#include "capsim/metrics/workload_summary.hpp"
#include "capsim/scenario/resolved_scenario.hpp"
#include "capsim/scenario/workload_spec.hpp"
#include "capsim/util/calendar.hpp"

namespace capsim::io {
namespace {

/// The totals of a run, also as root attributes (counts as integers), for a quick look with h5dump.
void write_total_attributes(const File& file, const run::RunRecord& record) {
    for (const auto& v : record.variables) {
        if (v.group != "totals") continue;
        const bool count = v.name == "jobs" || v.name == "jobs_completed" || v.name == "jobs_rejected" ||
                           v.name == "preemptions" || v.name == "events";
        if (count) file.set_attribute(v.name, static_cast<std::int64_t>(v.values.front()));
        else file.set_attribute(v.name, v.values.front());
    }
}

void write_run_groups(File& file, const scenario::Scenario& scenario, const run::ScenarioResult& run) {
    write_scenario_provenance(file, scenario);
    file.set_attribute("title", "capsim scenario run: " + scenario.name);
    file.set_attribute("wall_time_s", run.wall_time_s);
    const run::RunRecord record = run::make_run_record(scenario, run);
    write_total_attributes(file, record);
    for (const std::string& name : run::run_groups) {
        const std::vector<std::string> axis_names = axes_of_group(record, name);
        bool any = false;
        for (const auto& v : record.variables) any = any || v.group == name;
        if (!any) continue;
        Group group = file.create_group(name);
        group.set_attribute("description", group_description(name));
        const AxisDatasets axes = write_axes(group, record.axes, axis_names);
        for (const auto& v : record.variables) {
            if (v.group != name) continue;
            std::vector<const Dataset*> dims;
            for (const auto& a : v.axes) dims.push_back(&axes.at(a));
            group.write_array(v.name, v.values, dims, v.units, v.long_name);
        }
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
