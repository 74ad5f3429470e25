#include "scenario_commands.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include "capsim/metrics/workload_summary.hpp"
#include "capsim/run/scenario_run.hpp"
#include "capsim/io/atomic_output.hpp"
#include "capsim/io/scenario_writer.hpp"
#include "capsim/study/rank_transport.hpp"
#include "capsim/study/study_run.hpp"
#include "capsim/scenario/scenario_loader.hpp"
#include "capsim/scenario/study.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/stop_request.hpp"
#include "summary_command.hpp"
#include "capsim/util/calendar.hpp"
#include "capsim/scenario/plan.hpp"
#include "format.hpp"

namespace capsim::cli {
namespace {

void add_set_option(CLI::App* command, std::vector<std::string>& overrides) {
    command->add_option("--set", overrides,
                        "Override a scenario value: key.path=value, e.g. --set sites[1].grid=40MW (repeatable)")
        ->take_all();
}

std::string describe_horizon(const scenario::Scenario& s) {
    return format_date(s.start_s) + " to " + format_date(s.end_s - 1);
}

void print_workload_summary(const run::ScenarioResult& run) {
    const auto& summary = run.workload_summary;
    std::printf("  workloads    %s jobs submitted, %s completed, %s rejected, %s preemptions\n",
                human(static_cast<double>(summary.all.submitted)).c_str(), human(static_cast<double>(summary.all.completed)).c_str(),
                human(static_cast<double>(summary.all.rejected)).c_str(), human(static_cast<double>(run.workload.preemptions)).c_str());
    for (const auto& [count, reason] : {std::pair{summary.all.rejected_too_large, workload::Rejection::too_large},
                                        std::pair{summary.all.rejected_no_matching_gpus, workload::Rejection::no_matching_gpus},
                                        std::pair{summary.all.rejected_over_max_walltime, workload::Rejection::over_max_walltime}}) {
        if (count > 0) {
            std::printf("    %s rejected: %s\n", human(static_cast<double>(count)).c_str(), workload::to_string(reason));
        }
    }
    std::printf("    %-16s %9s %9s %9s %12s %10s %10s %10s %9s %9s\n", "tenant", "jobs", "done", "rejected",
                "GPU-hours", "share", "entitled", "wait mean", "wait p95", "bsld");
    auto row = [](const metrics::GroupSummary& g) {
        std::printf("    %-16s %9s %9s %9s %12s %9.1f%% %9.1f%% %10s %9s %9s\n", g.name.c_str(),
                    human(static_cast<double>(g.submitted)).c_str(), human(static_cast<double>(g.completed)).c_str(),
                    human(static_cast<double>(g.rejected)).c_str(), human(g.delivered_gpu_hours).c_str(),
                    100 * g.delivered_share, 100 * g.entitled_share, duration(g.wait_mean_s).c_str(),
                    duration(g.wait_p95_s).c_str(), number_or_dash(g.bounded_slowdown_mean, "%.2f").c_str());
    };
    for (const auto& t : summary.tenants) row(t);
    std::printf("    %-16s %9s %9s %9s %10s %10s %10s %9s\n", "class", "jobs", "done", "rejected", "wait mean", "wait p50",
                "wait p95", "bsld");
    for (const auto& c : summary.classes) {
        if (c.submitted == 0) continue;
        std::printf("    %-16s %9s %9s %9s %10s %10s %10s %9s\n", c.name.c_str(),
                    human(static_cast<double>(c.submitted)).c_str(), human(static_cast<double>(c.completed)).c_str(),
                    human(static_cast<double>(c.rejected)).c_str(), duration(c.wait_mean_s).c_str(),
                    duration(c.wait_p50_s).c_str(), duration(c.wait_p95_s).c_str(),
                    number_or_dash(c.bounded_slowdown_mean, "%.2f").c_str());
    }
}

/// What node failures and stops cost the jobs, only for a run that has failures configured or any job
/// interrupted: other runs print as before.
void print_failure_summary(const scenario::Scenario& s, const run::ScenarioResult& run) {
    if (s.failures.empty() && run.workload.interruptions == 0) return;
    const auto& summary = run.workload_summary;
    std::printf("  failures     %s interruptions by node failures, %s GPU-hours lost, ETTR %s (GPU-hour weighted)\n",
                human(static_cast<double>(run.workload.interruptions)).c_str(),
                human(summary.all.lost_gpu_hours).c_str(), number_or_dash(summary.all.ettr_weighted, "%.3f").c_str());
    auto header = [](const char* what) {
        std::printf("    %-16s %13s %12s %10s %10s\n", what, "interruptions", "lost GPU-h", "ETTR mean", "ETTR wtd");
    };
    auto row = [](const metrics::GroupSummary& g) {
        std::printf("    %-16s %13s %12s %10s %10s\n", g.name.c_str(),
                    human(static_cast<double>(g.interruptions)).c_str(), human(g.lost_gpu_hours).c_str(),
                    number_or_dash(g.ettr_mean, "%.3f").c_str(), number_or_dash(g.ettr_weighted, "%.3f").c_str());
    };
    header("tenant");
    for (const auto& t : summary.tenants) row(t);
    header("class");
    for (const auto& c : summary.classes) {
        if (c.submitted > 0) row(c);
    }
}

void print_run_summary(const scenario::Scenario& s, const infra::InfrastructureResult& r) {
    const char* cur = s.currency.code.c_str();
    std::printf("capsim run: %s (%s)\n", s.name.c_str(), s.source.c_str());
    std::printf("  horizon      %s, %zu output steps of %s h, %s, %s\n", describe_horizon(s).c_str(), r.steps(),
                human(s.timestep_s / 3600.0).c_str(), plural(s.sites.size(), "site").c_str(),
                plural(s.buildout.size(), "order").c_str());
    for (std::size_t i = 0; i < r.sites.size(); ++i) {
        const infra::SiteTotals& t = r.totals[i];
        std::printf("  site %s\n", r.sites[i].c_str());
        std::printf("    GPUs       %s installed and %s powered at the end; %s GPU-hours stranded\n",
                    human(t.gpus_installed_at_end).c_str(), human(t.gpus_powered_at_end).c_str(),
                    human(t.gpu_hours_stranded).c_str());
        std::printf("    energy     %s MWh, electricity %s %s, carbon %s t CO2e, peak %s MW\n",
                    human(t.facility_energy_mwh).c_str(), human(t.energy_cost).c_str(), cur,
                    human(t.carbon_t).c_str(), human(t.facility_power_peak_w / 1e6).c_str());
    }
    const infra::SiteTotals all = infra::total_of(r.totals);
    std::printf("  total        energy %s MWh, electricity %s %s, carbon %s t CO2e\n",
                human(all.facility_energy_mwh).c_str(), human(all.energy_cost).c_str(), cur, human(all.carbon_t).c_str());
    std::printf("               capex %s %s (hardware %s, facility %s), depreciation %s %s\n",
                human(all.capex_hardware + all.capex_facility).c_str(), cur, human(all.capex_hardware).c_str(),
                human(all.capex_facility).c_str(), human(all.depreciation).c_str(), cur);
    std::printf("  simulated    in %.3f s (%llu events)\n", r.wall_time_s, static_cast<unsigned long long>(r.events));
}

/// A file with a plan block is checked whole, plan included, whatever the command: a mistake in
/// the plan should not wait for `capsim plan` to be found.
void check_plan_block(const scenario::Study& study, const std::string& path, const std::vector<std::string>& overrides) {
    if (study.base().has_plan) scenario::load_plan(path, overrides);
}

} // namespace

CLI::App* add_run_command(CLI::App& app, RunCommandOptions& options) {
    CLI::App* command = app.add_subcommand("run", "Simulate a scenario file and write its results (HDF5)");
    command->add_option("scenario", options.scenario, "Scenario file (YAML)")->required();
    command->add_option("-o,--output", options.output, "Write the results to this HDF5 file");
    command->add_flag("--force", options.force,
                      "Overwrite the output file if it exists (and discard the finished runs of an earlier study run)");
    add_set_option(command, options.overrides);
    command->add_option("--replications", options.replications, "Run each sweep point N times (overrides replications:)")
        ->check(CLI::PositiveNumber);
    command->add_option("--threads", options.threads, "Simulate runs of a study on T threads (default: every core)")
        ->check(CLI::PositiveNumber);
    command->add_option("--shard", options.shard,
                        "Run only slice i of n (0-based) of a study's runs and write a shard file for 'capsim merge'");
    command->add_flag("--resume", options.resume,
                      "Keep the runs an interrupted run of the same study finished (in OUTPUT.parts/) and do the rest");
    command->add_flag("-q,--quiet", options.quiet, "No progress line");
    command->add_flag("--ignore-disk-space", options.ignore_disk_space,
                      "Go on with a study whose finished runs would not fit on the disk (checked after the first run)");
    return command;
}

/// The loader's notes on stderr, each once however many sweep points share it.
static void print_notes(const scenario::Study& study) {
    std::set<std::string> printed;
    for (const scenario::Scenario& point : study.points) {
        for (const scenario::Diagnostic& note : point.notes) {
            const std::string line = note.format();
            if (printed.insert(line).second) std::fprintf(stderr, "%s\n", line.c_str());
        }
    }
}

/// A study: replications and sweep points, run in parallel into one results file (or a shard).
void run_study_command(const scenario::Study& study, const RunCommandOptions& options) {
    if (options.output.empty()) {
        throw Error(ExitCode::usage, "a study (" + plural(study.work_items(), "run") +
                                         ") writes its results to a file: add -o results.h5");
    }
    study::StudyRunOptions run_options;
    run_options.output = options.output;
    run_options.force = options.force;
    run_options.resume = options.resume;
    run_options.threads = options.threads;
    run_options.quiet = options.quiet;
    run_options.ignore_disk_space = options.ignore_disk_space;
    if (!options.shard.empty()) run_options.shard = run::Shard::parse(options.shard);
    const auto transport = study::make_rank_transport();
    if (transport->rank() == 0) print_notes(study); // once, not once per MPI rank
    const study::StudyRunReport report = study::run_study(study, run_options, *transport);
    if (!report.writer) return;
    const scenario::Scenario& s = study.base();
    std::printf("capsim run: %s (%s)\n", s.name.c_str(), s.source.c_str());
    std::printf("  study        %s x %s = %s", plural(study.points.size(), "point").c_str(),
                plural(static_cast<std::size_t>(study.replications), "replication").c_str(),
                plural(study.work_items(), "run").c_str());
    if (run_options.shard) std::printf("; shard %s holds %s", run_options.shard->text().c_str(), plural(report.runs, "run").c_str());
    std::printf("\n  simulated    %s in %.1f s on %s x %s", plural(report.simulated, "run").c_str(), report.simulate_s,
                plural(report.ranks, "rank").c_str(), plural(static_cast<std::size_t>(report.threads), "thread").c_str());
    if (report.resumed > 0) std::printf(" (%zu kept from an earlier run)", report.resumed);
    std::printf("; %.0f jobs per second\n", report.simulate_s > 0 ? report.jobs / report.simulate_s : 0.0);
    std::error_code error;
    const auto bytes = std::filesystem::file_size(options.output, error);
    std::printf("  results      %s (%s MB, assembled in %.2f s)\n", options.output.c_str(),
                human(error ? 0.0 : static_cast<double>(bytes) / 1e6).c_str(), report.write_s);
    if (!run_options.shard) print_results_summary(options.output);
}

void run_run_command(const RunCommandOptions& options) {
    scenario::Study study = scenario::load_study(options.scenario, options.overrides);
    check_plan_block(study, options.scenario, options.overrides);
    if (options.replications > 0) study.replications = options.replications;
    if (study.has_sweep() || study.replications > 1 || !options.shard.empty() || options.resume) {
        run_study_command(study, options);
        return;
    }
    print_notes(study);
    std::unique_ptr<io::AtomicOutput> output;
    if (!options.output.empty()) output = std::make_unique<io::AtomicOutput>(options.output, options.force);
    const scenario::Scenario& s = study.base();
    // The file is open during the run: the job table streams into it as jobs finish.
    std::unique_ptr<io::ScenarioResultsFile> file;
    if (output) file = std::make_unique<io::ScenarioResultsFile>(output->temp_path(), s, s.write_jobs);
    run::ScenarioResult result;
    try {
        result = run::simulate_scenario(s, {}, false, file ? file->sinks() : run::RunSinks{});
    } catch (const Interrupted& e) {
        throw Interrupted(e.signal(), "the run stopped by " + signal_name(e.signal()) +
                                          (output ? "; nothing was written to '" + output->final_path() + "'" : "") +
                                          " (a single run does not resume: run it again)");
    }
    if (file) {
        file->finish(result);
        output->commit();
    }
    print_run_summary(s, result.infra);
    if (s.has_workloads()) {
        print_workload_summary(result);
        print_failure_summary(s, result);
        std::printf("  jobs/s       %.0f jobs simulated per second\n",
                    result.wall_time_s > 0 ? static_cast<double>(result.workload.jobs_total()) / result.wall_time_s : 0.0);
    }
    if (output) {
        std::error_code error;
        const auto bytes = std::filesystem::file_size(output->final_path(), error);
        std::printf("  results      %s (%s MB, written in %.2f s)\n", output->final_path().c_str(),
                    human(error ? 0.0 : static_cast<double>(bytes) / 1e6).c_str(), file->write_time_s());
    }
}

CLI::App* add_validate_command(CLI::App& app, ValidateCommandOptions& options) {
    CLI::App* command = app.add_subcommand("validate", "Check a scenario file and report every problem in it");
    command->add_option("scenario", options.scenario, "Scenario file (YAML)")->required();
    add_set_option(command, options.overrides);
    return command;
}

void run_validate_command(const ValidateCommandOptions& options) {
    const scenario::Study study = scenario::load_study(options.scenario, options.overrides);
    check_plan_block(study, options.scenario, options.overrides);
    print_notes(study);
    const scenario::Scenario& s = study.base();
    std::printf("%s: ok: '%s', %s, %s, %s", options.scenario.c_str(), s.name.c_str(), describe_horizon(s).c_str(),
                plural(s.sites.size(), "site").c_str(), plural(s.buildout.size(), "order").c_str());
    if (s.has_workloads()) {
        std::printf(", %s, %s", plural(s.tenants.size(), "tenant").c_str(), plural(s.workloads.size(), "workload").c_str());
    }
    if (study.work_items() > 1) {
        std::printf("; %s x %s", plural(study.points.size(), "sweep point").c_str(),
                    plural(static_cast<std::size_t>(study.replications), "replication").c_str());
    }
    std::printf("\n");
}

} // namespace capsim::cli
