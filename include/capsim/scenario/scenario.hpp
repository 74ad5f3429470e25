#pragma once
/// A scenario as capsim simulates it: every value resolved to base units (seconds since the Unix
/// epoch for instants, seconds for durations, watts, currency per MWh, g CO2e per kWh), defaults
/// filled in, names checked. Built by load_scenario(); docs/scenario.md describes the file format.

#include <cstdint>
#include <string>
#include <vector>

#include "capsim/infra/infrastructure_spec.hpp"
#include "capsim/scenario/diagnostics.hpp"
#include "capsim/scenario/units.hpp"
#include "capsim/workload/demand_spec.hpp"

namespace capsim::scenario {

/// output.replications: what a study's results file keeps of its replications.
enum class ReplicationOutput {
    raw,   // every replication's time series, no statistics
    stats, // statistics across replications; per-replication series left out (summary and totals kept)
    both,
};

/// "raw", "stats" or "both", as scenario files and results files write them.
inline const char* to_string(ReplicationOutput mode) {
    switch (mode) {
    case ReplicationOutput::raw: return "raw";
    case ReplicationOutput::stats: return "stats";
    case ReplicationOutput::both: break;
    }
    return "both";
}

/// What each model simulates (the infrastructure and the demand on it, the two bases), plus what
/// names and describes the run. A model takes its base by reference: it sees only its part and
/// depends on no scenario type.
struct Scenario : infra::InfrastructureSpec, workload::DemandSpec {
    std::string name;
    std::string source;           // file path as given
    std::string text;             // the file's text as given
    std::string resolved_text;    // the text with the --set overrides applied (YAML)
    std::vector<std::string> overrides; // --set key=value, in order
    std::uint64_t seed = 0;
    bool write_jobs = true;       // output.jobs: write the job table
    ReplicationOutput replication_output = ReplicationOutput::both; // output.replications
    Currency currency;
    /// The file has a `plan:` block (for `capsim plan`; `run` and `validate` check it too).
    bool has_plan = false;
    /// What the loader noted without refusing the file (an order after a shortened horizon, say):
    /// `capsim run` and `capsim validate` print them on stderr.
    std::vector<Diagnostic> notes;
};

} // namespace capsim::scenario
