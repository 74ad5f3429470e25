#pragma once
#include <cstdint>

#include "capsim/infra/infrastructure_result.hpp"
#include "capsim/metrics/workload_summary.hpp"
#include "capsim/scenario/scenario.hpp"
#include "capsim/workload/workload_result.hpp"

namespace capsim::run {

/// Everything one run of a scenario produces.
struct ScenarioResult {
    infra::InfrastructureResult infra;
    workload::WorkloadResult workload; // empty when the scenario has no workloads
    metrics::WorkloadSummary workload_summary; // of the jobs, filled at the end of the run
    std::uint64_t events = 0;
    double wall_time_s = 0;
};

/// Names a run's random streams: its replication and the point whose streams it draws (a study's
/// stream_point: 0 for every point under common random numbers, the point itself without).
struct RunIndex {
    std::uint64_t point = 0;
    std::uint64_t replication = 0;
};

/// Takes a run's time series as the run goes: called after every output step closes, it may take
/// the rows the result's series hold so far (and empty them, see clear_series_rows), so that a
/// long run with fine steps does not keep them all.
class SeriesSink {
public:
    virtual ~SeriesSink() = default;
    virtual void step_closed(ScenarioResult& result) = 0;
};

/// Where a run hands its output while it goes; what has no sink stays in the result.
struct RunSinks {
    workload::JobSink* jobs = nullptr;
    SeriesSink* series = nullptr;
};

/// Runs one replication of a scenario: the infrastructure and, when the scenario has workloads, the
/// tenants' jobs on it, in one engine. It draws from the random streams (seed, index.point,
/// index.replication, ...) and no others, so runs are reproducible whatever else runs beside them.
/// With `check_invariants`, the workload model checks its consistency after every event (slow; for tests).
/// With `sinks`, the job table and the time series go to them as the run proceeds.
ScenarioResult simulate_scenario(const scenario::Scenario& scenario, RunIndex index = {},
                                 bool check_invariants = false, RunSinks sinks = {});

} // namespace capsim::run
