#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "capsim/io/hdf5_file.hpp"
#include "capsim/run/run_record.hpp"
#include "capsim/run/scenario_run.hpp"
#include "capsim/scenario/scenario.hpp"

namespace capsim::io {

/// The version of the results layout (docs/output.md), stored in every file; bumped when it changes.
inline constexpr std::int64_t results_layout_version = 3;

/// The root attributes that say where a results file came from: capsim's version and revision,
/// the scenario as given, its --set overrides, with them applied and fully resolved, seed, horizon.
void write_scenario_provenance(const File& file, const scenario::Scenario& scenario);

/// Writes the job table (group `jobs`) of an open results file as rows arrive, so a run with
/// millions of jobs never holds the whole table; the `job` dimension is attached at the end.
class JobTableWriter final : public workload::JobSink {
public:
    JobTableWriter(const File& file, const scenario::Scenario& scenario);
    ~JobTableWriter() override;
    void write(std::span<const workload::JobRecord> rows) override;
    /// Writes any rows the result still holds, then the dimension and the category names.
    void finish(const run::ScenarioResult& run);
    double write_time_s() const { return write_time_s_; }

private:
    struct Columns;
    const scenario::Scenario& scenario_;
    std::unique_ptr<Columns> columns_;
    std::size_t rows_ = 0;
    double write_time_s_ = 0;
};

/// Writes the time series of a run (groups `sites` and `tenants`, time first) as the run goes, a
/// batch of steps at a time, and takes the rows from the result so that it never holds them all.
class SeriesTableWriter final : public run::SeriesSink {
public:
    SeriesTableWriter(const File& file, const scenario::Scenario& scenario);
    ~SeriesTableWriter() override;
    void step_closed(run::ScenarioResult& result) override;
    /// Writes the rows the result still holds, then makes `time` a dimension and attaches the axes.
    void finish(const run::ScenarioResult& result);
    /// A group with series and its axis datasets (site, gpu, tenant), for the variables written at the end.
    std::optional<std::pair<Group*, std::map<std::string, Dataset>*>> group(const std::string& name);
    double write_time_s() const { return write_time_s_; }

private:
    struct Tables;
    void write(const run::ScenarioResult& result);
    void create_tables(const run::ScenarioResult& result, const run::SeriesRows& rows);
    const File& file_;
    const scenario::Scenario& scenario_;
    std::unique_ptr<Tables> tables_;
    run::SeriesCarry carry_;
    double write_time_s_ = 0;
};

/// A results file being written: create it before the run (the time series and the job table
/// stream into it), then finish() with the run's result. See AtomicOutput for writing it under a
/// temporary name.
class ScenarioResultsFile {
public:
    ScenarioResultsFile(const std::string& path, const scenario::Scenario& scenario, bool with_jobs);
    ~ScenarioResultsFile();
    /// Where the run sends its job rows (a sink that drops them when the file has no job table, so
    /// that the run need not keep them either).
    workload::JobSink* job_sink() { return jobs_ ? static_cast<workload::JobSink*>(jobs_.get()) : &discard_; }
    run::SeriesSink* series_sink() { return series_.get(); }
    run::RunSinks sinks() { return {job_sink(), series_sink()}; }
    void finish(const run::ScenarioResult& run);
    /// Seconds spent writing (job rows during the run and everything at the end).
    double write_time_s() const { return write_time_s_; }

private:
    const scenario::Scenario& scenario_;
    std::unique_ptr<File> file_;
    std::unique_ptr<SeriesTableWriter> series_;
    std::unique_ptr<JobTableWriter> jobs_;
    struct Discard final : workload::JobSink {
        void write(std::span<const workload::JobRecord>) override {}
    } discard_;
    double write_time_s_ = 0;
};

/// Writes a scenario run to an HDF5 file at `path` (created or truncated): the run's totals as root
/// attributes, group `sites` with the time series per site (and GPU type) along CF time and, with
/// workloads, groups `tenants` (time series per tenant), `jobs` (the job table) and `summary` (per
/// tenant and class). Layout: docs/output.md.
void write_scenario_results(const std::string& path, const scenario::Scenario& scenario,
                            const run::ScenarioResult& result);

} // namespace capsim::io
