// The limits beyond which a scenario would not fit in memory (or would take far too long), checked
// once the whole file is read, so that the user learns it at once, at the key to change, rather than
// after minutes of allocation and an "out of memory" (or a swapping machine).
#include <algorithm>
#include <cmath>
#include <string>

#include "capsim/workload/arrival_process.hpp"
#include "diagnostic_messages.hpp"
#include "section_readers.hpp"

namespace capsim::scenario::detail {
namespace {

/// "12,300,000": large counts read at a glance, to three significant digits (they are estimates).
std::string grouped(double value) {
    if (value >= 1000) {
        const double unit = std::pow(10.0, std::floor(std::log10(value)) - 2);
        value = std::round(value / unit) * unit;
    }
    std::string digits = std::to_string(static_cast<long long>(std::min(value, 9.2e18)));
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<std::size_t>(at), ",");
    return digits;
}

} // namespace

void check_limits(SectionContext& context, const YAML::Node& root) {
    YamlReader& reader = context.reader;
    const Scenario& scenario = context.scenario;
    if (!context.horizon_ok) return;
    const double horizon_s = scenario.end_s - scenario.start_s;

    // Every output step holds a value of each series (sites x GPU types, tenants, classes).
    const double steps = std::ceil(horizon_s / scenario.timestep_s);
    if (steps > limits::output_steps) {
        const bool stepped = root["output"] && root["output"]["timestep"];
        reader.error(stepped ? root["output"]["timestep"] : root["end"], stepped ? "output.timestep" : "end",
                     "the horizon holds " + grouped(steps) + " output steps, expected at most " +
                         grouped(limits::output_steps) + ": choose a longer output.timestep or a shorter horizon");
    }

    // capsim keeps every node (its jobs, power and failures) individually.
    double nodes = 0;
    std::size_t largest = 0;
    for (std::size_t i = 0; i < scenario.buildout.size(); ++i) {
        nodes += static_cast<double>(scenario.buildout[i].count);
        if (scenario.buildout[i].count > scenario.buildout[largest].count) largest = i;
    }
    if (nodes > limits::nodes) {
        const std::string path = YamlReader::index_path("buildout", largest) + ".count";
        reader.error(root["buildout"][largest]["count"], path,
                     "the build-out orders " + grouped(nodes) + " nodes in all, expected at most " +
                         grouped(limits::nodes) + " (capsim simulates each node)");
    }

    // Each job is a row of the job table and, while it waits or runs, state in memory.
    double jobs = 0;
    std::size_t busiest = 0;
    double busiest_jobs = -1;
    for (std::size_t w = 0; w < scenario.workloads.size(); ++w) {
        const workload::WorkloadSpec& spec = scenario.workloads[w];
        double expected = static_cast<double>(spec.trace.size());
        if (spec.arrivals) {
            const double from_s = std::max(scenario.start_s, spec.arrivals_from_s);
            const double to_s = std::min(scenario.end_s, spec.arrivals_to_s);
            if (to_s > from_s) expected = workload::ArrivalProcess(*spec.arrivals).expected_count(from_s, to_s);
        }
        jobs += expected;
        if (expected > busiest_jobs) {
            busiest_jobs = expected;
            busiest = w;
        }
    }
    if (jobs > limits::jobs) {
        // At the rate that makes the jobs, or the trace that lists them.
        const YAML::Node workload = root["workloads"][busiest];
        const bool generated = scenario.workloads[busiest].arrivals.has_value();
        const bool rated = generated && workload["arrivals"]["rate"];
        const std::string key = generated ? (rated ? ".arrivals.rate" : ".arrivals") : ".trace";
        const YAML::Node at = rated ? workload["arrivals"]["rate"] : generated ? workload["arrivals"] : workload["trace"];
        reader.error(at, YamlReader::index_path("workloads", busiest) + key,
                     "the workloads submit about " + grouped(jobs) + " jobs over the horizon (this one " +
                         grouped(busiest_jobs) + "), expected at most " + grouped(limits::jobs) +
                         ": lower the rates or shorten the horizon");
    }
}

} // namespace capsim::scenario::detail
