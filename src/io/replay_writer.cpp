#include "capsim/io/replay_writer.hpp"

#include <vector>

#include "capsim/io/hdf5_file.hpp"

namespace capsim::io {
namespace {

void write_summary_attributes(const AttributeTarget& target, const replay::ReplayResult& result,
                              const metrics::ReplaySummary& s) {
    target.set_attribute("processors", result.processors);
    target.set_attribute("policy", result.policy);
    target.set_attribute("order", sched::to_string(result.order));
    target.set_attribute("records", static_cast<std::int64_t>(result.records));
    target.set_attribute("jobs", static_cast<std::int64_t>(s.jobs));
    target.set_attribute("skipped", static_cast<std::int64_t>(result.excluded.skipped()));
    target.set_attribute("skipped_run_time", static_cast<std::int64_t>(result.excluded.skipped_run_time));
    target.set_attribute("skipped_processors", static_cast<std::int64_t>(result.excluded.skipped_processors));
    target.set_attribute("rejected", static_cast<std::int64_t>(result.excluded.rejected()));
    target.set_attribute("wait_mean_s", s.wait_mean_s);
    target.set_attribute("wait_p50_s", s.wait_p50_s);
    target.set_attribute("wait_p95_s", s.wait_p95_s);
    target.set_attribute("wait_p99_s", s.wait_p99_s);
    target.set_attribute("flow_mean_s", s.flow_mean_s);
    target.set_attribute("bounded_slowdown_mean", s.bounded_slowdown_mean);
    target.set_attribute("bounded_slowdown_max", s.bounded_slowdown_max);
    target.set_attribute("bounded_slowdown_tau_s", metrics::bounded_slowdown_tau_s);
    target.set_attribute("utilization", s.utilization);
    target.set_attribute("makespan_s", s.makespan_s);
    target.set_attribute("first_submit_s", s.first_submit_s);
    target.set_attribute("last_end_s", s.last_end_s);
    target.set_attribute("wall_time_s", result.simulate_wall_s);
}

} // namespace

void write_replay_results(const std::string& path, const replay::ReplayResult& result,
                          const metrics::ReplaySummary& summary) {
    File file = File::create(path);
    file.set_attribute("Conventions", "CF-1.8");
    file.set_attribute("title", "capsim trace replay");
    file.set_attribute("capsim_version", CAPSIM_VERSION);
    file.set_attribute("source", result.source);
    write_summary_attributes(file, result, summary);

    const std::size_t n = result.jobs.size();
    std::vector<std::int64_t> id(n), processors(n);
    std::vector<double> submit(n), start(n), end(n), run(n), estimate(n), wait(n);
    for (std::size_t i = 0; i < n; ++i) {
        const replay::JobOutcome& outcome = result.jobs[i];
        id[i] = outcome.job.id;
        processors[i] = outcome.job.processors;
        submit[i] = outcome.job.submit_s;
        start[i] = outcome.start_s;
        end[i] = outcome.end_s;
        run[i] = outcome.job.run_s;
        estimate[i] = outcome.job.estimate_s;
        wait[i] = outcome.wait_s();
    }
    {
        Group jobs = file.create_group("jobs");
        jobs.set_attribute("description", "one row per simulated job, in trace order; times in seconds of the "
                                          "trace's clock (SWF submit time 0 = the log's start)");
        const Dataset job = jobs.create_dimension("job", n);
        jobs.write_column("id", std::span<const std::int64_t>(id), job, "1", "job number in the trace (SWF field 1)");
        jobs.write_column("submit", std::span<const double>(submit), job, "s", "submit time");
        jobs.write_column("start", std::span<const double>(start), job, "s", "start time");
        jobs.write_column("end", std::span<const double>(end), job, "s", "end time");
        jobs.write_column("processors", std::span<const std::int64_t>(processors), job, "1", "processors used");
        jobs.write_column("run", std::span<const double>(run), job, "s", "run time, capped at the requested time");
        jobs.write_column("estimate", std::span<const double>(estimate), job, "s", "run-time estimate seen by the scheduler");
        jobs.write_column("wait", std::span<const double>(wait), job, "s", "wait time (start - submit)");
    }
    file.close();
}

} // namespace capsim::io
