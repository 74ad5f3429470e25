#include "capsim/run/study_work.hpp"


#include "capsim/util/error.hpp"
#include "capsim/util/fingerprint.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::run {

Shard Shard::parse(const std::string& text) {
    const std::size_t slash = text.find('/');
    auto whole = [](std::string_view digits) -> std::optional<std::size_t> {
        if (digits.empty() || digits.size() > 9) return std::nullopt;
        std::size_t v = 0;
        for (char c : digits) {
            if (c < '0' || c > '9') return std::nullopt;
            v = v * 10 + static_cast<std::size_t>(c - '0');
        }
        return v;
    };
    const auto index = slash == std::string::npos ? std::nullopt : whole(std::string_view(text).substr(0, slash));
    const auto count = slash == std::string::npos ? std::nullopt : whole(std::string_view(text).substr(slash + 1));
    if (!index || !count) {
        throw Error(ExitCode::usage, "--shard '" + text + "': expected i/n, e.g. --shard 0/8 for the first of 8 shards");
    }
    if (*count == 0 || *index >= *count) {
        throw Error(ExitCode::usage, "--shard '" + text + "': the shard index must be 0 to n-1 (0-based, as Slurm's " +
                                         "SLURM_ARRAY_TASK_ID with --array=0-" +
                                         std::to_string(*count == 0 ? 0 : *count - 1) + ")");
    }
    return {*index, *count};
}

std::vector<double> flatten(const RunRecord& record) {
    std::size_t n = 0;
    for (const auto& v : record.variables) n += v.values.size();
    std::vector<double> out;
    out.reserve(n);
    for (const auto& v : record.variables) out.insert(out.end(), v.values.begin(), v.values.end());
    return out;
}

std::string study_fingerprint(const scenario::Study& study) {
    // Everything that decides the runs: the text with --set applied, the replications and each
    // point's sweep settings.
    Fingerprint f;
    f.feed(study.base().resolved_text);
    f.feed(std::to_string(study.replications));
    if (!study.common_random_numbers) f.feed("independent streams per point");
    for (const auto& settings : study.point_settings) {
        for (const auto& s : settings) f.feed(s);
        f.feed("|");
    }
    return f.hex();
}

namespace {

/// A study keeps no job table: rows are dropped as they are final (the summary has counted them),
/// so a run's memory does not grow with its jobs.
struct DiscardJobs final : workload::JobSink {
    void write(std::span<const workload::JobRecord>) override {}
};

} // namespace

RunRecord simulate_record(const scenario::Scenario& scenario, std::uint64_t stream_point, std::size_t replication,
                          double* jobs, double* wall_time_s) {
    DiscardJobs discard;
    const ScenarioResult result = simulate_scenario(scenario, {stream_point, replication}, false, {&discard, nullptr});
    if (jobs) *jobs = static_cast<double>(result.workload.jobs_total());
    if (wall_time_s) *wall_time_s = result.wall_time_s;
    return make_run_record(scenario, result);
}

FinishedRun simulate_work_item(const scenario::Study& study, WorkItem item, RunRecord* schema) {
    FinishedRun run;
    run.item = item;
    RunRecord record = simulate_record(study.points.at(item.point), study.stream_point(item.point), item.replication,
                                       &run.jobs, &run.wall_time_s);
    run.values = flatten(record);
    if (schema) {
        for (auto& v : record.variables) v.values.clear();
        *schema = std::move(record);
    }
    return run;
}

} // namespace capsim::run
