#include "replay_command.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "capsim/io/atomic_output.hpp"
#include "capsim/io/replay_writer.hpp"
#include "capsim/metrics/replay_summary.hpp"
#include "capsim/replay/trace_replay.hpp"
#include "capsim/util/json_writer.hpp"
#include "capsim/workload/swf_reader.hpp"

namespace capsim::cli {
namespace {

std::string summary_json(const replay::ReplayResult& r, const metrics::ReplaySummary& s, double read_s) {
    JsonObject json;
    json.add("trace", r.source)
        .add("policy", r.policy)
        .add("order", sched::to_string(r.order))
        .add("processors", r.processors)
        .add("records", static_cast<std::uint64_t>(r.records))
        .add("jobs", static_cast<std::uint64_t>(s.jobs))
        .add("skipped", static_cast<std::uint64_t>(r.excluded.skipped()))
        .add("rejected", static_cast<std::uint64_t>(r.excluded.rejected()))
        .add("wait_mean_s", s.wait_mean_s)
        .add("wait_p50_s", s.wait_p50_s)
        .add("wait_p95_s", s.wait_p95_s)
        .add("wait_p99_s", s.wait_p99_s)
        .add("flow_mean_s", s.flow_mean_s)
        .add("bounded_slowdown_mean", s.bounded_slowdown_mean)
        .add("bounded_slowdown_max", s.bounded_slowdown_max)
        .add("utilization", s.utilization)
        .add("makespan_s", s.makespan_s)
        .add("first_submit_s", s.first_submit_s)
        .add("last_end_s", s.last_end_s)
        .add("events", r.events)
        .add("read_time_s", read_s)
        .add("wall_time_s", r.simulate_wall_s)
        .add("jobs_per_second", r.simulate_wall_s > 0 ? static_cast<double>(s.jobs) / r.simulate_wall_s : 0.0);
    return json.str();
}

void print_human_summary(const replay::ReplayResult& r, const metrics::ReplaySummary& s, double read_s) {
    const std::string name = std::filesystem::path(r.source).filename().string();
    std::printf("capsim replay: %s\n", name.c_str());
    std::printf("  machine      %lld processors, policy %s, queue order %s\n", static_cast<long long>(r.processors),
                r.policy.c_str(), std::string(sched::to_string(r.order)).c_str());
    std::printf("  jobs         %zu simulated, %zu skipped, %zu rejected (of %zu in the trace)\n", s.jobs,
                r.excluded.skipped(), r.excluded.rejected(), r.records);
    if (r.excluded.skipped_run_time > 0) std::printf("               %zu skipped: run time <= 0\n", r.excluded.skipped_run_time);
    if (r.excluded.skipped_processors > 0) std::printf("               %zu skipped: processors <= 0\n", r.excluded.skipped_processors);
    if (r.excluded.rejected_too_large > 0) {
        std::printf("               %zu rejected: more than %lld processors\n", r.excluded.rejected_too_large,
                    static_cast<long long>(r.processors));
    }
    if (s.jobs == 0) {
        std::printf("  no job was simulated: no metrics\n");
        return;
    }
    std::printf("  wait         mean %.1f s, p50 %.1f s, p95 %.1f s, p99 %.1f s\n", s.wait_mean_s, s.wait_p50_s,
                s.wait_p95_s, s.wait_p99_s);
    std::printf("  flow time    mean %.1f s (wait + run)\n", s.flow_mean_s);
    std::printf("  slowdown     bounded (tau %.0f s): mean %.2f, max %.1f\n", metrics::bounded_slowdown_tau_s,
                s.bounded_slowdown_mean, s.bounded_slowdown_max);
    std::printf("  utilization  %.4f (busy processor-seconds / processors x span)\n", s.utilization);
    std::printf("  makespan     %.0f s (%.2f days), first submit to last end\n", s.makespan_s, s.makespan_s / 86400.0);
    std::printf("  simulated    in %.3f s (%.0f jobs/s, %llu events); trace read in %.3f s\n", r.simulate_wall_s,
                r.simulate_wall_s > 0 ? static_cast<double>(s.jobs) / r.simulate_wall_s : 0.0,
                static_cast<unsigned long long>(r.events), read_s);
}

} // namespace

CLI::App* add_replay_command(CLI::App& app, ReplayCommandOptions& options) {
    CLI::App* command = app.add_subcommand("replay", "Replay a workload trace (SWF, plain or .gz) under a batch "
                                                     "scheduling policy and report the standard metrics");
    command->add_option("trace", options.trace, "Trace in the Standard Workload Format (.swf or .swf.gz)")->required();
    command->add_option("--procs", options.processors,
                        "Machine size in processors (default: the trace's MaxProcs, else MaxNodes header)");
    command->add_option("--policy", options.policy, "Scheduling policy: fcfs, easy or conservative")
        ->capture_default_str();
    command->add_option("--order", options.order, "Queue order: fifo (submit time) or sjf (shortest estimate)")
        ->capture_default_str();
    command->add_option("-o,--output", options.output, "Write the job table and summary to this HDF5 file");
    command->add_flag("--json", options.json, "Print the summary as one JSON object on stdout, nothing else");
    command->add_flag("--force", options.force, "Overwrite the output file if it exists");
    return command;
}

void run_replay_command(const ReplayCommandOptions& options) {
    replay::ReplayOptions replay_options;
    replay_options.processors = options.processors;
    replay_options.policy = options.policy;
    // A trace has no tenants or job classes: fifo and sjf are the orders that mean something there.
    replay_options.order = sched::parse_queue_order(options.order, {sched::QueueOrder::fifo, sched::QueueOrder::sjf});

    // Check that the output can be written before spending time on the simulation.
    std::unique_ptr<io::AtomicOutput> output;
    if (!options.output.empty()) output = std::make_unique<io::AtomicOutput>(options.output, options.force);

    const auto read_start = std::chrono::steady_clock::now();
    const workload::SwfTrace trace = workload::read_swf_file(options.trace);
    const double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - read_start).count();

    const replay::ReplayResult result = replay::replay_trace(trace, replay_options);
    const metrics::ReplaySummary summary = metrics::summarize(result.jobs, result.processors);

    if (output) {
        io::write_replay_results(output->temp_path(), result, summary);
        output->commit();
    }
    if (options.json) {
        std::cout << summary_json(result, summary, read_s) << '\n';
    } else {
        print_human_summary(result, summary, read_s);
        if (output) std::printf("  results      %s\n", output->final_path().c_str());
    }
}

} // namespace capsim::cli
