#include "plan_command.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "capsim/io/atomic_output.hpp"
#include "capsim/plan/plan_file.hpp"
#include "capsim/plan/plan_search.hpp"
#include "capsim/plan/run_sharing.hpp"
#include "capsim/scenario/plan.hpp"
#include "capsim/study/rank_transport.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/json_writer.hpp"
#include "capsim/util/stop_request.hpp"
#include "capsim/util/strings.hpp"
#include "format.hpp"

namespace capsim::cli {
namespace {

std::string value_text(const scenario::PlanConstraint& c, double value) {
    if (std::isnan(value)) return "-";
    if (std::isinf(value)) return "unbounded (jobs rejected)";
    if (c.units == "s") return duration(value);
    return human(value) + (c.units == "1" ? "" : " " + c.units);
}

void print_candidate(const char* label, const scenario::PlanProblem& problem, const plan::Candidate& c) {
    std::printf("  %-10s %s\n", label, join(problem.settings(c.choice), " ").c_str());
    std::printf("  %-10s %s %s (mean of %s)\n", "cost", human(std::round(c.cost_mean())).c_str(),
                problem.base().currency.code.c_str(), plural(c.outcomes.size(), "replication").c_str());
    std::printf("  %-10s every constraint held in %zu of %zu replications\n", "attainment", c.successes(),
                c.outcomes.size());
    const auto& constraints = problem.spec().constraints;
    for (std::size_t k = 0; k < constraints.size(); ++k) {
        std::printf("    %s: worst %s on average, held in %.0f %% of replications\n", constraints[k].describe().c_str(),
                    value_text(constraints[k], c.worst_mean(k)).c_str(), 100 * c.constraint_attainment(k));
    }
}

std::string decisions_json(const scenario::PlanProblem& problem, const plan::Candidate& c) {
    JsonObject o;
    for (std::size_t d = 0; d < problem.spec().decisions.size(); ++d) {
        o.add(problem.spec().decisions[d].key, problem.spec().decisions[d].texts[c.choice[d]]);
    }
    return o.str();
}

std::string candidate_json(const scenario::PlanProblem& problem, const plan::Candidate& c) {
    JsonObject o;
    o.add_json("decisions", decisions_json(problem, c));
    o.add("cost", c.cost_mean());
    o.add("attainment", c.attainment());
    o.add("replications_met", static_cast<std::uint64_t>(c.successes()));
    o.add("replications_run", static_cast<std::uint64_t>(c.outcomes.size()));
    std::string values = "[";
    const auto& constraints = problem.spec().constraints;
    for (std::size_t k = 0; k < constraints.size(); ++k) {
        JsonObject v;
        v.add("constraint", constraints[k].describe());
        v.add("worst_mean", c.worst_mean(k));
        v.add("units", constraints[k].units);
        v.add("attainment", c.constraint_attainment(k));
        values += (k ? ", " : "") + v.str();
    }
    o.add_json("constraints", values + "]");
    return o.str();
}

void write_text_atomically(const std::string& path, const std::string& text, bool force) {
    io::AtomicOutput out(path, force);
    {
        std::ofstream file(out.temp_path(), std::ios::binary);
        file << text;
        file.close();
        if (!file) throw IoError("cannot write '" + path + "'");
    }
    out.commit();
}

} // namespace

CLI::App* add_plan_command(CLI::App& app, PlanCommandOptions& options) {
    CLI::App* command = app.add_subcommand(
        "plan", "Find the cheapest build-out that meets the service levels of the scenario's plan: block");
    command->add_option("scenario", options.scenario, "Scenario file (YAML) with a plan: block")->required();
    command->add_option("-o,--output", options.output, "Write every evaluated candidate to this HDF5 file");
    command->add_flag("--force", options.force,
                      "Overwrite the output files if they exist (and discard the runs of an interrupted plan)");
    command->add_option("--set", options.overrides,
                        "Override a scenario value: key.path=value, e.g. --set plan.replications=8 (repeatable)")
        ->take_all();
    command->add_flag("--json", options.json, "Print the chosen decisions, cost and attainment as JSON on stdout");
    command->add_option("--write-scenario", options.write_scenario,
                        "Write the chosen plan as a scenario file that 'capsim run' accepts");
    command->add_option("--threads", options.threads, "Simulate replications on T threads (default: every core)")
        ->check(CLI::PositiveNumber);
    command->add_flag("--resume", options.resume,
                      "Keep the runs an interrupted plan of the same scenario finished (OUTPUT.journal) and go on");
    command->add_option("--shard", options.shard,
                        "Be shard i of n (0-based) of one plan: the n processes (a Slurm array, all running at once) "
                        "share the runs through journals beside -o; shard 0 writes the results");
    command->add_flag("--exhaustive", options.exhaustive,
                      "Evaluate every candidate of the grid on every replication instead of searching");
    command->add_flag("-q,--quiet", options.quiet, "No progress lines");
    return command;
}

namespace {

void plan_on(const PlanCommandOptions& options, const scenario::PlanProblem& problem, study::RankTransport& ranks) {
    const scenario::PlanSpec& spec = problem.spec();
    std::optional<run::Shard> shard;
    if (!options.shard.empty()) shard = run::Shard::parse(options.shard);
    if (shard && ranks.size() > 1) {
        throw Error(ExitCode::usage, "--shard and MPI ranks both split a plan's runs: use one of them");
    }
    if (shard && shard->count > 1 && options.output.empty()) {
        throw Error(ExitCode::usage, "--shard needs -o plan.h5: the shards share their runs through journals beside it");
    }
    if (options.resume && options.output.empty()) {
        throw Error(ExitCode::usage, "--resume continues the plan of an output file: add -o plan.h5");
    }
    if (ranks.rank() == 0) {
        for (const scenario::Diagnostic& note : problem.base().notes) std::fprintf(stderr, "%s\n", note.format().c_str());
    }
    const std::string fingerprint = plan::plan_fingerprint(problem);
    const std::string journal = options.output.empty() ? "" : options.output + ".journal";
    const bool quiet = options.quiet || options.json || ranks.rank() != 0;
    const std::unique_ptr<plan::RunSharing> sharing =
        shard ? plan::over_shard_journals(*shard, journal, fingerprint, spec.constraints.size(), quiet)
              : plan::over_ranks(ranks, spec.constraints.size());
    const bool writer = sharing->writes_results();
    // Fail before the search, not after it, when an output cannot be written.
    std::unique_ptr<io::AtomicOutput> output;
    if (writer && !options.output.empty()) output = std::make_unique<io::AtomicOutput>(options.output, options.force);
    if (writer && !options.write_scenario.empty() && !options.force && std::filesystem::exists(options.write_scenario)) {
        throw Error(ExitCode::usage, "'" + options.write_scenario + "' exists; add --force to overwrite it");
    }
    plan::PlanOptions search_options;
    search_options.threads = options.threads;
    search_options.exhaustive = options.exhaustive;
    search_options.quiet = quiet;
    search_options.journal = journal;
    search_options.earlier = options.resume  ? plan::CandidateEvaluator::Earlier::resume
                             : options.force ? plan::CandidateEvaluator::Earlier::discard
                                             : plan::CandidateEvaluator::Earlier::refuse;
    search_options.sharing = sharing.get();
    plan::PlanResult result;
    try {
        result = plan::search_plan(problem, search_options);
    } catch (const Interrupted& e) {
        const std::string kept = journal.empty() ? "" : sharing->own_journal(journal);
        throw Interrupted(e.signal(), "the plan stopped by " + signal_name(e.signal()) +
                                          (!kept.empty() ? "; its finished runs are kept in '" + kept +
                                                               "': run the same command with --resume to continue"
                                           : journal.empty() ? "; nothing was kept (without -o a plan cannot resume)"
                                                             : "; rank 0 keeps the finished runs: run the same "
                                                               "command with --resume to continue"));
    }
    if (!writer) {
        if (shard && !options.quiet && !options.json) {
            std::printf("capsim plan: %s ran its share of %s; shard 0 writes the results\n", sharing->name().c_str(),
                        plural(result.runs_used(), "run").c_str());
        }
        return;
    }
    if (output) {
        plan::write_plan_file(output->temp_path(), problem, result, {options.exhaustive, fingerprint});
        output->commit();
        for (const std::string& path : sharing->journals(journal)) std::filesystem::remove(path);
    }
    const std::optional<std::size_t> shown = result.chosen ? result.chosen : result.closest;
    if (!options.write_scenario.empty()) {
        if (result.chosen) {
            const plan::Candidate& c = result.candidates[*result.chosen];
            std::string text = "# The plan capsim plan chose for " + problem.source() + ":\n";
            for (const std::string& s : problem.settings(c.choice)) text += "#   " + s + "\n";
            text += "# capsim run of this file repeats the planner's evaluation of it, replication by replication.\n";
            write_text_atomically(options.write_scenario, text + problem.candidate_text(c.choice), options.force);
        } else {
            std::fprintf(stderr, "capsim plan: no candidate is feasible, so '%s' was not written\n",
                         options.write_scenario.c_str());
        }
    }
    if (options.json) {
        JsonObject o;
        o.add("scenario", problem.base().name);
        o.add("status", result.chosen ? "feasible" : "infeasible");
        if (result.chosen) o.add_json("chosen", candidate_json(problem, result.candidates[*result.chosen]));
        if (result.runner_up) o.add_json("runner_up", candidate_json(problem, result.candidates[*result.runner_up]));
        if (!result.chosen && result.closest) {
            o.add_json("closest", candidate_json(problem, result.candidates[*result.closest]));
        }
        o.add("currency", problem.base().currency.code);
        o.add("confidence", spec.confidence);
        o.add("replications", static_cast<std::uint64_t>(spec.replications));
        o.add("candidates", static_cast<std::uint64_t>(result.candidates.size()));
        o.add("runs", static_cast<std::uint64_t>(result.runs_used()));
        o.add("runs_resumed", static_cast<std::uint64_t>(result.runs_resumed));
        o.add("budget", static_cast<std::uint64_t>(spec.budget));
        o.add("budget_spent", result.budget_spent ? "true" : "false");
        o.add("wall_time_s", result.wall_s);
        std::printf("%s\n", o.str().c_str());
        return;
    }
    std::printf("capsim plan: %s (%s)\n", problem.base().name.c_str(), problem.source().c_str());
    const std::string processes =
        result.processes == 1 ? "" : " in each of " + std::to_string(result.processes) + (shard ? " shards" : " ranks");
    std::printf("  searched   %s of a grid of %s, %s (%zu kept from an earlier run) in %.1f s on %s%s%s\n",
                plural(result.candidates.size(), "candidate").c_str(), human(spec.grid_size()).c_str(),
                plural(result.runs_used(), "run").c_str(), result.runs_resumed, result.wall_s,
                plural(static_cast<std::size_t>(result.threads), "thread").c_str(), processes.c_str(),
                options.exhaustive ? " (exhaustive)" : "");
    if (result.budget_spent) {
        std::printf("  budget     the search stopped at its budget of %zu runs: the plan below is the best found, "
                    "not necessarily the cheapest\n", spec.budget);
    }
    std::printf("  confidence every constraint must hold in %zu of %zu replications (%.0f %%)\n",
                plan::required_successes(spec), spec.replications, 100 * spec.confidence);
    if (result.chosen) {
        print_candidate("chosen", problem, result.candidates[*result.chosen]);
        if (result.runner_up) {
            const plan::Candidate& r = result.candidates[*result.runner_up];
            std::printf("  runner-up  %s: %s %s\n", join(problem.settings(r.choice), " ").c_str(),
                        human(std::round(r.cost_mean())).c_str(), problem.base().currency.code.c_str());
        }
    } else if (shown) {
        std::printf("  no candidate meets the constraints in enough replications; the closest:\n");
        print_candidate("closest", problem, result.candidates[*shown]);
    } else {
        std::printf("  no candidate could be evaluated\n");
    }
    if (output) std::printf("  results    %s\n", options.output.c_str());
    if (!options.write_scenario.empty() && result.chosen) std::printf("  scenario   %s\n", options.write_scenario.c_str());
}

} // namespace

void run_plan_command(const PlanCommandOptions& options) {
    const scenario::PlanProblem problem = scenario::load_plan(options.scenario, options.overrides);
    const auto transport = study::make_rank_transport();
    try {
        plan_on(options, problem, *transport);
    } catch (const Interrupted&) {
        throw; // every rank stops at the same candidate
    } catch (const std::exception& e) {
        if (transport->size() == 1) throw;
        // The other ranks may wait for this one: end them all.
        std::fprintf(stderr, "capsim: error (rank %zu): %s\n", transport->rank(), e.what());
        const auto* error = dynamic_cast<const Error*>(&e);
        transport->abort(static_cast<int>(error ? error->code() : ExitCode::internal));
        throw;
    }
}

} // namespace capsim::cli
