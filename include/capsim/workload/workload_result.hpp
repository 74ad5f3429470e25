#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

namespace capsim::workload {

/// What happened to a job by the end of the horizon.
enum class JobState : std::uint8_t { completed = 0, running = 1, queued = 2, rejected = 3 };

/// Why a job was rejected at submission.
enum class Rejection : std::uint8_t { none = 0, no_matching_gpus = 1, too_large = 2, over_max_walltime = 3 };
const char* to_string(Rejection reason);

/// One row of the job table.
struct JobRecord {
    std::uint32_t tenant = 0;
    std::uint32_t workload = 0;
    std::uint8_t job_class = 0;     // JobClass
    JobState state = JobState::queued;
    Rejection rejection = Rejection::none;
    std::int32_t site = -1;         // where it last ran; -1 if it never started
    std::int32_t gpu_type = -1;     // index into the infrastructure result's GPU types
    std::int32_t gpus = 0;
    std::uint32_t preemptions = 0;  // stopped by a preemption or its nodes going dark
    std::uint32_t interruptions = 0; // stopped by a node failure
    double submit_s = 0;            // epoch s
    double first_start_s = -1;      // first start; -1 if never started (wait = first start - submit)
    double start_s = -1;            // last start (after preemptions); -1 if never started
    double end_s = -1;              // -1 unless completed
    double run_s = 0;               // of the final (completed) run
    double productive_s = 0;        // wall time of its runs spent on work it kept (ETTR's numerator)
    double lost_gpu_hours = 0;      // held but not productive: work lost at stops, checkpoints, restarts
    /// GPU-hours asked for within the horizon: gpus x its true run time (a reservation: its period),
    /// counted from the submission and cut at the end of the horizon. The run time is on the GPU type
    /// of its last start; before it starts, on the newest type it may use that has GPUs powered (or
    /// its first choice when none has). NaN when no allowed GPU type exists.
    double demand_gpu_hours = 0;
};

/// Receives the rows of the job table in submission order, in batches, as soon as they are final
/// (completed or rejected), and the rest at the end: a run never has to hold the whole table.
class JobSink {
public:
    virtual ~JobSink() = default;
    virtual void write(std::span<const JobRecord> rows) = 0;
};

/// The workload side of a run: per tenant over the output steps, and the job table.
/// Per-step arrays are step-major: value(step, tenant) = data[step * tenants + tenant].
struct WorkloadResult {
    std::vector<std::string> tenants;
    std::vector<double> entitled_share;        // per tenant, normalised
    std::vector<std::string> workloads;
    std::vector<std::uint32_t> workload_tenant;
    std::vector<std::uint8_t> workload_class;

    std::vector<double> submitted_jobs;        // in the step
    std::vector<double> running_jobs;          // time-mean over the step
    std::vector<double> queued_jobs;           // time-mean
    std::vector<double> busy_gpus;             // time-mean
    std::vector<double> queued_gpus;           // time-mean GPU demand waiting
    std::vector<double> delivered_gpu_hours;   // in the step (including work later lost to preemption)
    /// Per tenant, summed over every step: kept when a writer takes the series rows as the run goes.
    std::vector<double> delivered_gpu_hours_total;
    /// Per calendar year of the horizon and tenant ([year * tenants + tenant], years as
    /// calendar_years(start, end) gives them): the busy GPU time integrated exactly within the year.
    std::vector<double> delivered_gpu_hours_by_year;

    /// The job table, without the rows already handed to a JobSink (the first `jobs_released`).
    /// Without a sink it holds every job: jobs[i] is job i.
    std::deque<JobRecord> jobs;
    std::uint64_t jobs_released = 0;
    std::uint64_t jobs_total() const { return jobs_released + jobs.size(); }
    std::uint64_t preemptions = 0;
    std::uint64_t interruptions = 0;

    /// Node failures, per site over the output steps (step-major: data[step * sites + site]).
    std::size_t site_count = 0;
    std::vector<double> node_failures;          // failures that began in the step
    std::vector<double> nodes_in_repair;        // time-mean
    std::vector<double> unavailable_gpu_hours;  // GPUs on nodes in repair, integrated over the step
};

} // namespace capsim::workload
