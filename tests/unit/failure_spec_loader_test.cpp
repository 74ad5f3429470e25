// Reading `failures:` (random processes and CSV traces) and a workload's `checkpoint:` into the specs,
// and each mistake in them reported at its place with what was expected.
#include <gtest/gtest.h>

#include <fstream>

#include "capsim/scenario/diagnostics.hpp"
#include "capsim/scenario/resolved_scenario.hpp"
#include "capsim/scenario/scenario_loader.hpp"
#include "capsim/util/calendar.hpp"
#include "test_support.hpp"

namespace capsim::scenario {
namespace {

constexpr double day_s = 86400;

// Two sites, 6 + 1 H100 nodes at il-north and 3 B200 at az-baku, one tenant: twelve lines, so that a
// section appended to it starts on line 13.
const std::string base_text =
    "name: failures test\n"
    "start: 2026-01-01\n"
    "end: 2026-12-31\n"
    "sites:\n"
    "  - {name: il-north, grid: 10MW, pue: 1.2, electricity: 100 USD/MWh, carbon: 400 g/kWh}\n"
    "  - {name: az-baku, grid: 20MW, pue: 1.3, electricity: 80 USD/MWh, carbon: 300 g/kWh}\n"
    "buildout:\n"
    "  - {site: il-north, node: hgx-h100, count: 6, ordered: 2026-01-01, lead_time: 2d}\n"
    "  - {site: az-baku, node: hgx-b200, count: 3, ordered: 2026-01-01, lead_time: 2d}\n"
    "  - {site: il-north, node: hgx-h100, count: 1, ordered: 2026-03-01, lead_time: 2d}\n"
    "tenants:\n"
    "  - {name: lab, share: 1}\n";

Scenario scenario_with(const std::string& extra, const std::filesystem::path& directory = ".") {
    return parse_scenario(base_text + extra, "f.yaml", {}, directory);
}

/// The problems of a scenario that must not load.
std::vector<Diagnostic> problems(const std::string& extra, const std::filesystem::path& directory = ".") {
    try {
        scenario_with(extra, directory);
    } catch (const ScenarioError& e) {
        return e.diagnostics().items();
    }
    ADD_FAILURE() << "the scenario loaded:\n" << extra;
    return {};
}

/// The one problem of a scenario, checked for its place and a fragment of its message.
void expect_problem(const std::string& extra, int line, int column, const std::string& key_path,
                    const std::string& fragment, const std::filesystem::path& directory = ".") {
    const auto found = problems(extra, directory);
    ASSERT_EQ(found.size(), 1u) << extra << (found.empty() ? "" : "\n" + found.front().format());
    EXPECT_EQ(found[0].line, line) << found[0].format();
    EXPECT_EQ(found[0].column, column) << found[0].format();
    EXPECT_EQ(found[0].key_path, key_path) << found[0].format();
    EXPECT_NE(found[0].message.find(fragment), std::string::npos) << found[0].format();
}

/// One failure entry (on line 14) appended to the base.
std::string failure(const std::string& entry) {
    return "failures:\n  - " + entry + "\n";
}

/// One generated workload (on line 14) with the given extra keys.
std::string workload(const std::string& keys) {
    return "workloads:\n  - {name: w, tenant: lab, class: training, arrivals: {rate: 1/day}, gpus: 8, "
           "duration: 1h" +
           keys + "}\n";
}

// ---- random failure processes ----

TEST(FailureSpecLoader, NoSectionNoFailures) {
    EXPECT_TRUE(scenario_with("").failures.empty());
}

TEST(FailureSpecLoader, EveryFieldOfARandomProcess) {
    const Scenario s = scenario_with("failures:\n"
                                     "  - nodes: [hgx-h100, hgx-b200]\n"
                                     "    sites: az-baku\n"
                                     "    rate: 0.0065/day\n"
                                     "    distribution: {weibull: {shape: 0.7}}\n"
                                     "    repair: {lognormal: {median: 4h, sigma: 1.0}}\n"
                                     "    bad_nodes: {fraction: 2%, factor: 10}\n");
    ASSERT_EQ(s.failures.size(), 1u);
    const auto& f = s.failures[0];
    EXPECT_EQ(f.node_types, (std::vector<std::string>{"hgx-h100", "hgx-b200"}));
    EXPECT_EQ(f.sites, std::vector<std::size_t>{1});
    EXPECT_DOUBLE_EQ(f.rate_per_s, 0.0065 / day_s);
    EXPECT_DOUBLE_EQ(f.weibull_shape, 0.7);
    EXPECT_EQ(f.repair_s.describe(), "lognormal(median 14400, sigma 1)");
    EXPECT_DOUBLE_EQ(f.bad_fraction, 0.02);
    EXPECT_DOUBLE_EQ(f.bad_factor, 10);
    EXPECT_FALSE(f.from_trace());
}

TEST(FailureSpecLoader, DefaultsApplyToEveryNodeAndSite) {
    const Scenario s = scenario_with(failure("{rate: 2.7e-4/h, repair: 2h}"));
    ASSERT_EQ(s.failures.size(), 1u);
    const auto& f = s.failures[0];
    EXPECT_TRUE(f.node_types.empty());
    EXPECT_TRUE(f.sites.empty());
    EXPECT_DOUBLE_EQ(f.rate_per_s, 2.7e-4 / 3600);
    EXPECT_DOUBLE_EQ(f.weibull_shape, 1);
    EXPECT_EQ(f.repair_s.describe(), "fixed(7200)");
    EXPECT_DOUBLE_EQ(f.bad_fraction, 0);
    EXPECT_DOUBLE_EQ(f.bad_factor, 1);
}

TEST(FailureSpecLoader, RateInEitherUnitIsTheSame) {
    // 6.5 per 1,000 node-days, per day or per year (365.25 days).
    const double per_day = scenario_with(failure("{rate: 0.0065/day, repair: 1h}")).failures[0].rate_per_s;
    const double per_year =
        scenario_with(failure("{rate: 2.374125/year, repair: 1h}")).failures[0].rate_per_s;
    EXPECT_NEAR(per_year, per_day, 1e-15);
    EXPECT_NEAR(per_day, 7.523e-8, 1e-11);
}

TEST(FailureSpecLoader, ExponentialByNameAndAChoiceOfRepairs) {
    const Scenario s = scenario_with(failure("{sites: [il-north], rate: 1/day, distribution: exponential, "
                                             "repair: {choice: [20min, 3d], weights: [0.8, 0.2]}}"));
    const auto& f = s.failures[0];
    EXPECT_DOUBLE_EQ(f.weibull_shape, 1);
    EXPECT_EQ(f.sites, std::vector<std::size_t>{0});
    EXPECT_EQ(f.repair_s.values(), (std::vector<double>{1200, 3 * day_s}));
    EXPECT_DOUBLE_EQ(f.repair_s.mean(), 0.8 * 1200 + 0.2 * 3 * day_s);
}

TEST(FailureSpecLoader, EachProcessHasItsOwnStream) {
    const Scenario s = scenario_with("failures:\n"
                                     "  - {rate: 1/day, repair: 1h}\n"
                                     "  - {rate: 2/day, repair: 1h}\n" +
                                     workload(""));
    ASSERT_EQ(s.failures.size(), 2u);
    // FNV-1a of "failures[0]": an independent check of the hash, not a copy of the loader's code.
    std::uint64_t h = 1469598103934665603ull;
    for (const char c : std::string("failures[0]"))
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    EXPECT_EQ(s.failures[0].stream, h);
    EXPECT_NE(s.failures[0].stream, s.failures[1].stream);
    EXPECT_NE(s.failures[0].stream, s.workloads[0].stream);
}

TEST(FailureSpecLoader, RateZeroOrWithoutUnit) {
    expect_problem(failure("{rate: 0/day, repair: 1h}"), 14, 12, "failures[0].rate",
                   "'0/day', expected a rate > 0");
    expect_problem(failure("{rate: 0.0065, repair: 1h}"), 14, 12, "failures[0].rate",
                   "rate '0.0065': expected a number per");
    expect_problem(failure("{rate: 1/dya, repair: 1h}"), 14, 12, "failures[0].rate", "did you mean 'day'?");
    expect_problem(failure("{repair: 1h}"), 14, 5, "failures[0].rate", "missing, this key is required");
}

TEST(FailureSpecLoader, MisspeltKeySuggestsTheKey) {
    const auto found = problems(failure("{rtae: 1/day, repair: 1h}"));
    ASSERT_EQ(found.size(), 1u); // the misspelt key, not also a missing 'rate'
    EXPECT_EQ(found[0].key_path, "failures[0].rtae");
    EXPECT_NE(found[0].message.find("did you mean 'rate'?"), std::string::npos) << found[0].format();
}

TEST(FailureSpecLoader, UnknownNodeTypeWithSuggestion) {
    expect_problem(failure("{nodes: [hgx-h10], rate: 1/day, repair: 1h}"), 14, 14, "failures[0].nodes[0]",
                   "unknown node type 'hgx-h10', expected one of");
    expect_problem(failure("{nodes: hgx-h10, rate: 1/day, repair: 1h}"), 14, 13, "failures[0].nodes",
                   "did you mean 'hgx-h100'?");
    expect_problem(failure("{nodes: [], rate: 1/day, repair: 1h}"), 14, 13, "failures[0].nodes",
                   "an empty list");
}

TEST(FailureSpecLoader, ANodeTypeOfTheScenarioCatalogIsAccepted) {
    const Scenario s =
        parse_scenario("name: own node\nstart: 2026-01-01\nend: 2026-12-31\n"
                       "catalog:\n  nodes:\n    my-h100: {gpu: H100, gpus: 4, overhead: 1kW, price: 100000}\n"
                       "sites:\n  - {name: a, grid: 10MW, pue: 1.2, electricity: 100 USD/MWh, "
                       "carbon: 400 g/kWh}\n" +
                           failure("{nodes: my-h100, rate: 1/day, repair: 1h}"),
                       "own.yaml");
    EXPECT_EQ(s.failures.at(0).node_types, std::vector<std::string>{"my-h100"});
}

TEST(FailureSpecLoader, UnknownSite) {
    expect_problem(
        failure("{sites: [il-nort], rate: 1/day, repair: 1h}"), 14, 14, "failures[0].sites[0]",
        "no site named 'il-nort', expected one of 'il-north' or 'az-baku'; did you mean 'il-north'?");
}

TEST(FailureSpecLoader, WeibullShapeMustBePositive) {
    expect_problem(failure("{rate: 1/day, distribution: {weibull: {shape: -0.5}}, repair: 1h}"), 14, 51,
                   "failures[0].distribution.weibull.shape", "'-0.5', expected a shape > 0");
    expect_problem(failure("{rate: 1/day, distribution: {weibull: {shape: 0}}, repair: 1h}"), 14, 51,
                   "failures[0].distribution.weibull.shape", "'0', expected a shape > 0");
    expect_problem(failure("{rate: 1/day, distribution: {weibull: {shape: inf}}, repair: 1h}"), 14, 51,
                   "failures[0].distribution.weibull.shape", "'inf', expected a number");
    expect_problem(failure("{rate: 1/day, distribution: exponentail, repair: 1h}"), 14, 33,
                   "failures[0].distribution", "did you mean 'exponential'?");
    expect_problem(failure("{rate: 1/day, distribution: {weibull: {}}, repair: 1h}"), 14, 43,
                   "failures[0].distribution.weibull.shape", "missing, this key is required");
}

TEST(FailureSpecLoader, BadNodes) {
    expect_problem(failure("{rate: 1/day, repair: 1h, bad_nodes: {fraction: 1.5, factor: 10}}"), 14, 53,
                   "failures[0].bad_nodes.fraction", "'1.5', expected a fraction of the nodes from 0 to 1");
    expect_problem(failure("{rate: 1/day, repair: 1h, bad_nodes: {fraction: 0.1, factor: 0.5}}"), 14, 66,
                   "failures[0].bad_nodes.factor", "'0.5', expected a number >= 1");
    expect_problem(failure("{rate: 1/day, repair: 1h, bad_nodes: {fraction: 0.1}}"), 14, 42,
                   "failures[0].bad_nodes.factor", "missing, this key is required");
}

TEST(FailureSpecLoader, RepairMustNotBeNegative) {
    expect_problem(failure("{rate: 1/day, repair: -1h}"), 14, 27, "failures[0].repair",
                   "durations cannot be negative");
    expect_problem(failure("{rate: 1/day, repair: {uniform: [1h, 30min]}}"), 14, 37,
                   "failures[0].repair.uniform", "the high end is below the low end");
    expect_problem(failure("{rate: 1/day}"), 14, 5, "failures[0].repair", "missing, this key is required");
}

// ---- failure traces ----

/// A scenario directory holding a failure trace `trace.csv` with the given text.
struct TraceFixture {
    test::TempDir dir;
    explicit TraceFixture(const std::string& csv) { std::ofstream(dir.path() / "trace.csv") << csv; }
    /// "PATH:LINE", or "PATH" for line 0 (a problem of the whole file).
    std::string where(int line) const {
        const std::string path = (dir.path() / "trace.csv").string();
        return line == 0 ? path : path + ":" + std::to_string(line);
    }
};

TEST(FailureSpecLoader, TraceRowsInAnyColumnOrder) {
    TraceFixture f("duration, node, time, site, node_type\n"
                   "5min, 0, 2026-09-01T12:05:00, il-north, hgx-h100\n"
                   "\n"
                   "2h, 6, 2026-09-01 12:05, il-north, hgx-h100\n"
                   "3d, 2, 2026-10-01, az-baku, hgx-b200\n");
    const Scenario s = scenario_with(failure("{csv: trace.csv}"), f.dir.path());
    ASSERT_EQ(s.failures.size(), 1u);
    const auto& trace = s.failures[0].trace;
    ASSERT_EQ(trace.size(), 3u);
    EXPECT_TRUE(s.failures[0].from_trace());
    EXPECT_DOUBLE_EQ(trace[0].time_s, *parse_datetime("2026-09-01 12:05"));
    EXPECT_EQ(trace[0].site, 0u);
    EXPECT_EQ(trace[0].node_type, "hgx-h100");
    EXPECT_EQ(trace[0].node, 0);
    EXPECT_DOUBLE_EQ(trace[0].duration_s, 300);
    EXPECT_EQ(trace[1].node, 6); // the seventh H100 node of il-north, from its second order
    EXPECT_DOUBLE_EQ(trace[1].duration_s, 7200);
    EXPECT_DOUBLE_EQ(trace[2].time_s, *parse_datetime("2026-10-01"));
    EXPECT_EQ(trace[2].site, 1u);
    EXPECT_EQ(trace[2].node_type, "hgx-b200");
    EXPECT_DOUBLE_EQ(trace[2].duration_s, 3 * day_s);
}

TEST(FailureSpecLoader, TraceEntryTakesNoOtherKey) {
    TraceFixture f("time,site,node_type,node,duration\n2026-09-01,il-north,hgx-h100,0,1h\n");
    expect_problem(failure("{csv: trace.csv, rate: 1/day}"), 14, 28, "failures[0].rate",
                   "given with 'csv', expected 'csv' alone", f.dir.path());
}

/// The one problem of a failure trace, at the `csv` value (line 14, column 11).
void expect_trace_problem(const std::string& csv, const std::string& message_from_line, int line) {
    TraceFixture f(csv);
    expect_problem(failure("{csv: trace.csv}"), 14, 11, "failures[0].csv", f.where(line) + message_from_line,
                   f.dir.path());
}

TEST(FailureSpecLoader, TraceColumns) {
    expect_trace_problem("time,site,node_type,duration\n2026-09-01,il-north,hgx-h100,1h\n",
                         ": no column 'node', expected the columns", 1);
    expect_trace_problem(
        "time,site,node_type,nodes,duration\n2026-09-01,il-north,hgx-h100,0,1h\n",
        ": unknown column 'nodes', expected the columns 'time', 'site', 'node_type', 'node' or "
        "'duration'; did you mean 'node'?",
        1);
    expect_trace_problem("\ntime,site,node_type,node,duration,note\n2026-09-01,il-north,hgx-h100,0,1h,x\n",
                         ": unknown column 'note'", 2);
}

TEST(FailureSpecLoader, TraceValues) {
    const std::string header = "time,site,node_type,node,duration\n";
    expect_trace_problem(header + "2026-09-01,il-north,hgx-h100,x,1h\n",
                         ": column 'node': 'x', expected a whole number >= 0", 2);
    expect_trace_problem(header + "2026-09-01,il-north,hgx-h100,1.5,1h\n",
                         ": column 'node': '1.5', expected a whole number >= 0", 2);
    expect_trace_problem(
        header + "2026-09-01,il-north,hgx-h100,0,1h\n2026-08-01,il-north,hgx-h100,1,1h\n",
        ": column 'time': '2026-08-01' is before the row above (2026-09-01 00:00:00), expected "
        "rows in time order",
        3);
    expect_trace_problem(
        header + "2026-09-01,il-north,hgx-h100,7,1h\n",
        ": column 'node': '7', expected an index below 7: the build-out gives 'il-north' 7 nodes", 2);
    expect_trace_problem(header + "2026-09-01,az-baku,hgx-h100,0,1h\n",
                         ": column 'node_type': the build-out gives 'az-baku' no nodes of type 'hgx-h100'",
                         2);
    expect_trace_problem(
        header + "2026-09-01,il-nort,hgx-h100,0,1h\n",
        ": column 'site': no site named 'il-nort', expected one of 'il-north' or 'az-baku'; did "
        "you mean 'il-north'?",
        2);
    expect_trace_problem(header + "2026-09-01,il-north,hgx-h10,0,1h\n",
                         ": column 'node_type': unknown node type 'hgx-h10'", 2);
    expect_trace_problem(header + "2026-09-01,il-north,hgx-h100,0,60\n", ": column 'duration': '60'", 2);
    expect_trace_problem(header + "2026-09-01,il-north,hgx-h100,0,0s\n",
                         ": column 'duration': '0s', expected a duration > 0", 2);
    expect_trace_problem(header + "2027-02-01,il-north,hgx-h100,0,1h\n",
                         ": column 'time': '2027-02-01' is outside the scenario (2026-01-01 to 2026-12-31)",
                         2);
    expect_trace_problem(header + "2026-13-01,il-north,hgx-h100,0,1h\n",
                         ": column 'time': '2026-13-01' is not a date", 2);
    expect_trace_problem(header + "2026-09-01,il-north,hgx-h100,0\n", ": expected 5 columns, found 4", 2);
    expect_trace_problem(header, ": no data rows after the header", 0);
}

TEST(FailureSpecLoader, TraceFileMissing) {
    test::TempDir dir;
    expect_problem(failure("{csv: none.csv}"), 14, 11, "failures[0].csv", "cannot open failure trace",
                   dir.path());
}

// ---- checkpoints ----

TEST(CheckpointSpecLoader, FixedIntervalWithCostAndRestart) {
    const Scenario s = scenario_with(workload(", checkpoint: {interval: 30min, cost: 20s, restart: 5min}"));
    ASSERT_TRUE(s.workloads.at(0).checkpoint);
    const auto& c = *s.workloads[0].checkpoint;
    EXPECT_FALSE(c.automatic);
    EXPECT_DOUBLE_EQ(c.interval_s, 1800);
    EXPECT_DOUBLE_EQ(c.cost_s, 20);
    EXPECT_DOUBLE_EQ(c.restart_s, 300);
}

TEST(CheckpointSpecLoader, AutoIntervalAndDefaults) {
    const Scenario s = scenario_with(workload(", checkpoint: {interval: auto}"));
    const auto& c = *s.workloads.at(0).checkpoint;
    EXPECT_TRUE(c.automatic);
    EXPECT_DOUBLE_EQ(c.cost_s, 0);
    EXPECT_DOUBLE_EQ(c.restart_s, 0);
    EXPECT_FALSE(scenario_with(workload("")).workloads.at(0).checkpoint);
}

TEST(CheckpointSpecLoader, OnATraceWorkload) {
    test::TempDir dir;
    std::ofstream(dir.path() / "jobs.csv") << "t,g,d\n0,8,3600\n";
    const Scenario s =
        scenario_with("workloads:\n  - {name: log, tenant: lab, trace: {file: jobs.csv, format: csv, "
                      "columns: {submit: t, gpus: g, duration: d}}, checkpoint: {interval: 1h}}\n",
                      dir.path());
    EXPECT_DOUBLE_EQ(s.workloads.at(0).checkpoint->interval_s, 3600);
}

TEST(CheckpointSpecLoader, NotOnAReservation) {
    expect_problem("workloads:\n  - {name: svc, tenant: lab, class: inference, checkpoint: {interval: 1h},\n"
                   "     reservation: {gpus: 8, from: 2026-02-01, to: 2026-06-30, site: il-north}}\n",
                   14, 60, "workloads[0].checkpoint", "reservation holds its GPUs for a fixed period");
}

TEST(CheckpointSpecLoader, BadIntervals) {
    // The checkpoint mapping opens at column 105 of line 14: interval's value is at 116.
    expect_problem(workload(", checkpoint: {interval: 0s}"), 14, 116, "workloads[0].checkpoint.interval",
                   "'0s', expected a duration > 0");
    expect_problem(workload(", checkpoint: {interval: automatic}"), 14, 116,
                   "workloads[0].checkpoint.interval",
                   "'automatic', expected a duration > 0 like '30min', or 'auto'; did you mean 'auto'?");
    expect_problem(workload(", checkpoint: {interval: 30}"), 14, 116, "workloads[0].checkpoint.interval",
                   "'30' has no unit");
    expect_problem(workload(", checkpoint: {cost: 20s}"), 14, 105, "workloads[0].checkpoint.interval",
                   "missing, this key is required");
    expect_problem(workload(", checkpoint: {interval: 1h, restart: -5min}"), 14, 129,
                   "workloads[0].checkpoint.restart", "durations cannot be negative");
    expect_problem(workload(", checkpoint: {interval: 1h, cots: 5s}"), 14, 120,
                   "workloads[0].checkpoint.cots", "did you mean 'cost'?");
}

TEST(ResolvedScenario, ShowsFailuresAndCheckpointsWithTheirDefaults) {
    TraceFixture f("time,site,node_type,node,duration\n2026-09-01,il-north,hgx-h100,0,1h\n");
    const std::string resolved = resolved_yaml(
        scenario_with("failures:\n  - {sites: [az-baku], rate: 1/day, repair: 1h}\n  - {csv: trace.csv}\n" +
                          workload(", checkpoint: {interval: auto}") +
                          "  - {name: v, tenant: lab, class: research, arrivals: "
                          "{rate: 1/day}, gpus: 1, duration: 1h, checkpoint: {interval: 30min, cost: 20s}}\n",
                      f.dir.path()));
    EXPECT_NE(resolved.find("checkpoint: {interval_s: auto, cost_s: 0, restart_s: 0}"), std::string::npos)
        << resolved;
    EXPECT_NE(resolved.find("checkpoint: {interval_s: 1800, cost_s: 20, restart_s: 0}"), std::string::npos)
        << resolved;
    EXPECT_NE(
        resolved.find("{nodes: all, sites: [az-baku], rate_per_s: 1.1574074074074073e-05, weibull_shape: 1, "
                      "repair_s: fixed(3600), bad_nodes: {fraction: 0, factor: 1}}"),
        std::string::npos)
        << resolved;
    EXPECT_NE(resolved.find("{trace_failures: 1}"), std::string::npos) << resolved;
    // Without failures or checkpoints the resolved scenario reads as it did before they existed.
    const std::string plain = resolved_yaml(scenario_with(workload("")));
    EXPECT_EQ(plain.find("\nfailures:"), std::string::npos) << plain;
    EXPECT_EQ(plain.find("checkpoint:"), std::string::npos) << plain;
}

} // namespace
} // namespace capsim::scenario
