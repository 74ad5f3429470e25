#pragma once
#include <cstdint>

#include "capsim/infra/infrastructure_result.hpp"
#include "capsim/scenario/scenario.hpp"
#include "capsim/workload/workload_result.hpp"

namespace capsim::run {

/// Everything one run of a scenario produces.
struct ScenarioResult {
    infra::InfrastructureResult infra;
    workload::WorkloadResult workload; // empty when the scenario has no workloads
    std::uint64_t events = 0;
    double wall_time_s = 0;
};

/// Which replication of which sweep point a run is: it names the run's random streams.
struct RunIndex {
    std::uint64_t point = 0;
    std::uint64_t replication = 0;
};

/// Runs one replication of a scenario: the infrastructure and, when the scenario has workloads, the
/// tenants' jobs on it, in one engine. Replication r of point p draws from the random streams
/// (seed, p, r, ...) and no others, so runs are reproducible and independent of each other.
/// With `check_invariants`, the workload model checks its consistency after every event (slow; for tests).
/// With a `sink`, the job table goes to it as the run proceeds instead of staying in the result.
ScenarioResult simulate_scenario(const scenario::Scenario& scenario, RunIndex index = {},
                                 bool check_invariants = false, workload::JobSink* sink = nullptr);

} // namespace capsim::run
