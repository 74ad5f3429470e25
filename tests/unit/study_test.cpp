// The study loader: `replications:` and `sweep:` (lists, ranges, zip), the order of the points, --set
// before the sweep, coordinates in base units, and each sweep mistake located in the sweep block.
#include <gtest/gtest.h>

#include "capsim/scenario/diagnostics.hpp"
#include "capsim/scenario/scenario_loader.hpp"
#include "capsim/scenario/study.hpp"

namespace capsim::scenario {
namespace {

// Two sites and one order, nine lines: a sweep block appended to it starts on line 10.
const std::string base_text = "name: study test\n"
                              "start: 2026-01-01\n"
                              "end: 2026-01-31\n"
                              "seed: 7\n"
                              "sites:\n"
                              "  - {name: a, grid: 10MW, pue: 1.2, electricity: 100 USD/MWh, carbon: 400 g/kWh}\n"
                              "  - {name: b, grid: 20MW, pue: 1.3, electricity: 80 USD/MWh, carbon: 300 g/kWh}\n"
                              "buildout:\n"
                              "  - {site: a, node: hgx-h100, count: 4, ordered: 2026-01-01, lead_time: 2d}\n";

Study study(const std::string& extra, const std::vector<std::string>& overrides = {}) {
    return parse_study(base_text + extra, "s.yaml", overrides);
}

/// The problems of a study that must not load.
std::vector<Diagnostic> problems(const std::string& extra, const std::vector<std::string>& overrides = {}) {
    try {
        parse_study(base_text + extra, "s.yaml", overrides);
    } catch (const ScenarioError& e) {
        return e.diagnostics().items();
    }
    ADD_FAILURE() << "the study loaded:\n" << extra;
    return {};
}

/// The one problem of a study, checked for its place and a fragment of its message.
void expect_problem(const std::string& extra, int line, int column, const std::string& key_path,
                    const std::string& fragment, const std::vector<std::string>& overrides = {}) {
    const auto found = problems(extra, overrides);
    ASSERT_EQ(found.size(), 1u) << extra << (found.empty() ? "" : "\n" + found.front().format());
    EXPECT_EQ(found[0].line, line) << found[0].format();
    EXPECT_EQ(found[0].column, column) << found[0].format();
    EXPECT_EQ(found[0].key_path, key_path) << found[0].format();
    EXPECT_NE(found[0].message.find(fragment), std::string::npos) << found[0].format();
}

double grid_w(const Scenario& s, std::size_t site) { return s.sites[site].grid_capacity_w.value_at(s.start_s); }

TEST(Study, WithoutSweepIsOnePoint) {
    const Study s = study("");
    ASSERT_EQ(s.points.size(), 1u);
    EXPECT_EQ(s.replications, 1u);
    EXPECT_FALSE(s.has_sweep());
    EXPECT_EQ(s.point_settings, std::vector<std::vector<std::string>>{{}});
    EXPECT_EQ(s.base().name, "study test");
    EXPECT_EQ(study("replications: 5\n").work_items(), 5u);
    EXPECT_EQ(study("sweep: {}\n").points.size(), 1u); // an empty sweep runs the file as it is
}

TEST(Study, PlainLoaderAcceptsStudyKeys) {
    EXPECT_NO_THROW(parse_scenario(base_text + "replications: 4\nsweep: {seed: [1, 2]}\n", "s.yaml"));
}

TEST(Study, ListAxis) {
    const Study s = study("sweep:\n  sites[1].grid: [20MW, 30MW, 40MW]\n");
    ASSERT_EQ(s.points.size(), 3u);
    EXPECT_TRUE(s.has_sweep());
    for (std::size_t p = 0; p < 3; ++p) {
        EXPECT_DOUBLE_EQ(grid_w(s.points[p], 1), (20.0 + 10.0 * static_cast<double>(p)) * 1e6);
        EXPECT_DOUBLE_EQ(grid_w(s.points[p], 0), 10e6);
    }
    EXPECT_EQ(s.point_settings[1], std::vector<std::string>{"sites[1].grid=30MW"});
    EXPECT_EQ(s.points[1].overrides, std::vector<std::string>{"sites[1].grid=30MW"});
    ASSERT_EQ(s.coordinates.size(), 1u);
    EXPECT_EQ(s.coordinates[0].key, "sites[1].grid");
    EXPECT_EQ(s.coordinates[0].texts, (std::vector<std::string>{"20MW", "30MW", "40MW"}));
}

TEST(Study, RangeWithUnits) {
    const Study s = study("sweep:\n  sites[1].grid: {from: 20MW, to: 40MW, step: 10MW}\n");
    ASSERT_EQ(s.points.size(), 3u);
    EXPECT_EQ(s.coordinates[0].texts, (std::vector<std::string>{"20MW", "30MW", "40MW"}));
    EXPECT_DOUBLE_EQ(grid_w(s.points[2], 1), 40e6);
    // `to` off the grid is left out; on it despite rounding (0.1 + 2 x 0.1 != 0.3) it is kept.
    // In YAML's flow style a key with brackets must be quoted.
    EXPECT_EQ(study("sweep: {'sites[1].grid': {from: 20 MW, to: 45 MW, step: 10 MW}}\n").coordinates[0].texts,
              (std::vector<std::string>{"20MW", "30MW", "40MW"}));
    EXPECT_EQ(study("sweep:\n  sites[0].pue: {from: 1.1, to: 1.3, step: 0.1}\n").coordinates[0].texts,
              (std::vector<std::string>{"1.1", "1.2", "1.3"}));
    EXPECT_EQ(study("sweep: {seed: {from: 5, to: 5, step: 1}}\n").points.size(), 1u);
}

TEST(Study, GridOfTwoAxesLastVariesFastest) {
    const Study s = study("sweep:\n  sites[1].grid: [20MW, 30MW]\n  seed: [1, 2, 3]\n");
    ASSERT_EQ(s.points.size(), 6u);
    const std::vector<std::vector<std::string>> expected = {
        {"sites[1].grid=20MW", "seed=1"}, {"sites[1].grid=20MW", "seed=2"}, {"sites[1].grid=20MW", "seed=3"},
        {"sites[1].grid=30MW", "seed=1"}, {"sites[1].grid=30MW", "seed=2"}, {"sites[1].grid=30MW", "seed=3"}};
    EXPECT_EQ(s.point_settings, expected);
    EXPECT_EQ(s.points[4].seed, 2u);
    EXPECT_DOUBLE_EQ(grid_w(s.points[4], 1), 30e6);
    ASSERT_EQ(s.coordinates.size(), 2u);
    EXPECT_EQ(s.coordinates[1].key, "seed");
    EXPECT_EQ(s.coordinates[1].numbers, (std::vector<double>{1, 2, 3, 1, 2, 3}));
    EXPECT_EQ(s.work_items(), 6u);
}

TEST(Study, ZipAdvancesKeysTogether) {
    const Study s = study("sweep:\n  zip:\n    sites[0].grid: [5MW, 6MW]\n    sites[1].grid: [25MW, 26MW]\n  seed: [1, 2]\n");
    ASSERT_EQ(s.points.size(), 4u);
    EXPECT_EQ(s.point_settings[1], (std::vector<std::string>{"sites[0].grid=5MW", "sites[1].grid=25MW", "seed=2"}));
    EXPECT_EQ(s.point_settings[2], (std::vector<std::string>{"sites[0].grid=6MW", "sites[1].grid=26MW", "seed=1"}));
    EXPECT_DOUBLE_EQ(grid_w(s.points[3], 1), 26e6);
    ASSERT_EQ(s.coordinates.size(), 3u); // one per zipped key
    EXPECT_EQ(s.coordinates[1].numbers, (std::vector<double>{25e6, 25e6, 26e6, 26e6}));

    // Several zipped axes as a list, and a range among the zipped lists.
    const Study two = study("sweep:\n  zip:\n    - {'sites[0].grid': [5MW, 6MW], seed: {from: 1, to: 2, step: 1}}\n"
                            "    - sites[1].pue: [1.1, 1.2, 1.3]\n      sites[0].pue: [1.4, 1.5, 1.6]\n");
    EXPECT_EQ(two.points.size(), 6u);
    EXPECT_EQ(two.point_settings[5],
              (std::vector<std::string>{"sites[0].grid=6MW", "seed=2", "sites[1].pue=1.3", "sites[0].pue=1.6"}));
}

TEST(Study, SetAppliesBeforeSweepValues) {
    const Study s = study("sweep:\n  sites[1].grid: [20MW, 30MW]\n", {"sites[0].grid=7MW", "replications=3"});
    EXPECT_EQ(s.replications, 3u);
    ASSERT_EQ(s.points.size(), 2u);
    EXPECT_DOUBLE_EQ(grid_w(s.points[1], 0), 7e6);
    EXPECT_EQ(s.points[1].overrides,
              (std::vector<std::string>{"sites[0].grid=7MW", "replications=3", "sites[1].grid=30MW"}));
    EXPECT_EQ(s.point_settings[1], std::vector<std::string>{"sites[1].grid=30MW"});
    EXPECT_EQ(s.work_items(), 6u);
    // --set may replace a swept key's list, or the whole sweep.
    const Study replaced = study("sweep:\n  sites[1].grid: [20MW, 30MW]\n", {"sweep.sites[1].grid=[50MW, 60MW, 70MW]"});
    EXPECT_EQ(replaced.coordinates[0].texts, (std::vector<std::string>{"50MW", "60MW", "70MW"}));
    EXPECT_EQ(study("sweep:\n  sites[1].grid: [20MW, 30MW]\n", {"sweep={}"}).points.size(), 1u);
}

TEST(Study, CoordinatesInBaseUnitsOrText) {
    const Study s = study("sweep:\n  zip:\n    sites[1].grid: [40MW, 50MW]\n    buildout[0].lead_time: [30d, 2w]\n"
                          "    buildout[0].count: [2, 8]\n    buildout[0].ordered: [2026-01-01, 2026-01-10]\n"
                          "    sites[0].electricity: [90 USD/MWh, 0.1 USD/kWh]\n    sites[0].pue: [1.2, 130%]\n");
    ASSERT_EQ(s.coordinates.size(), 6u);
    const auto& grid = s.coordinates[0];
    EXPECT_TRUE(grid.numeric);
    EXPECT_EQ(grid.units, "W");
    EXPECT_EQ(grid.numbers, (std::vector<double>{4e7, 5e7}));
    EXPECT_EQ(s.coordinates[1].units, "s");
    EXPECT_EQ(s.coordinates[1].numbers, (std::vector<double>{2592000, 1209600}));
    EXPECT_EQ(s.coordinates[2].units, "1");
    EXPECT_EQ(s.coordinates[2].numbers, (std::vector<double>{2, 8}));
    const auto& ordered = s.coordinates[3];
    EXPECT_FALSE(ordered.numeric);
    EXPECT_TRUE(ordered.units.empty());
    EXPECT_TRUE(ordered.numbers.empty());
    EXPECT_EQ(ordered.texts, (std::vector<std::string>{"2026-01-01", "2026-01-10"}));
    EXPECT_EQ(s.coordinates[4].units, "USD/MWh");
    EXPECT_DOUBLE_EQ(s.coordinates[4].numbers[1], 100);
    EXPECT_EQ(s.coordinates[5].units, "1"); // a plain number and a percentage are both fractions
    EXPECT_DOUBLE_EQ(s.coordinates[5].numbers[1], 1.3);
    // Quantities of different dimensions are text: no one unit holds both.
    const Study mixed = study("sweep:\n  sites[1].grid: [20MW, [{from: 2026-01-01, capacity: 1 MW}]]\n");
    EXPECT_FALSE(mixed.coordinates[0].numeric);
    EXPECT_EQ(mixed.coordinates[0].texts[1], "[{from: 2026-01-01, capacity: 1 MW}]");
}

TEST(Study, ReplicationsMustBeAWholeNumberFromOne) {
    expect_problem("replications: 0\n", 10, 15, "replications", "expected a whole number >= 1");
    const auto found = problems("", {"replications=2.5"});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].origin, "--set replications=2.5");
}

TEST(Study, SweptKeyMustExist) {
    expect_problem("sweep:\n  sites[5].grid: [1MW]\n", 11, 3, "sweep.sites[5].grid",
                   "'sites' has 2 entries (indices start at 0), so [5] does not exist");
    expect_problem("sweep:\n  sites[1].grdi: [1MW]\n", 11, 3, "sweep.sites[1].grdi", "did you mean 'grid'?");
    expect_problem("sweep:\n  finanse.currency: [EUR]\n", 11, 3, "sweep.finanse.currency", "does not exist in the scenario");
    expect_problem("sweep:\n  sites[1.grid: [1MW]\n", 11, 3, "sweep.sites[1.grid", "is not a key path");
    // After --set: the sweep sees the scenario as --set left it.
    expect_problem("sweep:\n  sites[0].load: [0.5]\n", 11, 3, "sweep.sites[0].load", "also set by --set",
                   {"sites[0].load=0.2"});
}

TEST(Study, KeysThatShapeTheOutputCannotBeSwept) {
    expect_problem("sweep:\n  end: [2026-02-28]\n", 11, 3, "sweep.end", "time axis");
    expect_problem("sweep:\n  output.timestep: [1h, 1d]\n", 11, 3, "sweep.output.timestep", "time axis");
    expect_problem("sweep:\n  replications: [1, 2]\n", 11, 3, "sweep.replications", "set replications instead");
    expect_problem("sweep:\n  name: [x, y]\n", 11, 3, "sweep.name", "cannot be swept");
    expect_problem("sweep:\n  sites[0].name: [x, y]\n", 11, 3, "sweep.sites[0].name", "same site names");
}

// Points may have different sites: every point gets the union, in the order first named, with a
// site it lacks present but empty (no grid, no nodes), and its orders follow their sites.
TEST(Study, PointsWithDifferentSitesShareTheUnionOfTheirSites) {
    const Study s = study("sweep:\n"
                          "  zip:\n"
                          "    sites[1]:\n"
                          "      - {name: b, grid: 1MW, pue: 1, electricity: 1 USD/MWh, carbon: 0 g/kWh}\n"
                          "      - {name: c, grid: 3MW, pue: 1, electricity: 1 USD/MWh, carbon: 0 g/kWh}\n"
                          "    buildout[0].site: [b, c]\n");
    ASSERT_EQ(s.points.size(), 2u);
    for (const Scenario& point : s.points) {
        ASSERT_EQ(point.sites.size(), 3u);
        EXPECT_EQ(point.sites[0].name, "a");
        EXPECT_EQ(point.sites[1].name, "b");
        EXPECT_EQ(point.sites[2].name, "c");
    }
    EXPECT_EQ(s.points[0].buildout[0].site, 1u);
    EXPECT_EQ(grid_w(s.points[0], 2), 0); // c is not a site of point 0
    EXPECT_EQ(s.points[1].buildout[0].site, 2u);
    EXPECT_EQ(grid_w(s.points[1], 1), 0); // nor b of point 1
    EXPECT_EQ(grid_w(s.points[1], 2), 3e6);
    EXPECT_EQ(grid_w(s.points[1], 0), 10e6);
}

TEST(Study, MalformedValues) {
    expect_problem("sweep:\n  seed: []\n", 11, 9, "sweep.seed", "an empty list");
    expect_problem("sweep:\n  seed: 5\n", 11, 9, "sweep.seed", "expected a list of values");
    expect_problem("sweep:\n  seed: {from: 1, to: 5, step: 0}\n", 11, 32, "sweep.seed.step", "expected a step > 0");
    expect_problem("sweep:\n  seed: {from: 5, to: 1, step: 1}\n", 11, 23, "sweep.seed.to", "is below from (5)");
    expect_problem("sweep:\n  seed: {from: 1, to: 5}\n", 11, 9, "sweep.seed.step", "missing");
    expect_problem("sweep:\n  seed: {from: 1, to: 5, stp: 1}\n", 11, 26, "sweep.seed.stp", "did you mean 'step'?");
    expect_problem("sweep:\n  seed: {from: 1, to: x, step: 1}\n", 11, 23, "sweep.seed.to", "expected a number");
    expect_problem("sweep:\n  sites[1].grid: {from: 20MW, to: 40 kW, step: 10MW}\n", 11, 35, "sweep.sites[1].grid.to",
                   "is in 'kW' but from is in 'MW', expected one unit");
    expect_problem("sweep:\n  seed: {from: 1, to: 1e9, step: 1}\n", 11, 34, "sweep.seed.step", "expected at most 10000");
    expect_problem("sweep:\n  zip: [{seed: [1]}, 2]\n", 11, 22, "sweep.zip[1]", "expected a mapping of key paths");
    expect_problem("sweep:\n  zip: 3\n", 11, 8, "sweep.zip", "or a list of such mappings");
}

TEST(Study, ZipListsMustHaveEqualLengths) {
    expect_problem("sweep:\n  zip:\n    sites[0].grid: [5MW, 6MW]\n    seed: [1, 2, 3]\n", 12, 5, "sweep.zip",
                   "sites[0].grid has 2 values, seed has 3 values");
}

TEST(Study, KeyGivenTwice) {
    expect_problem("sweep:\n  seed: [1, 2]\n  zip:\n    seed: [3, 4]\n    sites[0].grid: [1MW, 2MW]\n", 13, 5, "sweep.zip.seed",
                   "swept twice (first on line 11)");
    expect_problem("sweep:\n  sites[1]: [{name: b, grid: 1MW, pue: 1, electricity: 0 USD/MWh, carbon: 0 g/kWh}]\n"
                   "  sites[1].grid: [1MW]\n",
                   12, 3, "sweep.sites[1].grid", "overlaps 'sites[1]'");
}

TEST(Study, KeySweptAndSet) {
    const auto found = problems("sweep:\n  seed: [1, 2]\n", {"seed=3"});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].format(),
              "s.yaml:11:3: error: sweep.seed: 'seed' is also set by --set seed=3: the sweep would replace the --set "
              "value; to sweep other values, set the sweep's list instead, like --set 'sweep.seed=[...]'");
}

TEST(Study, InvalidValueNamesItsPoint) {
    const auto found = problems("sweep:\n  seed: [1, 2]\n  sites[1].grid: [20MW, 30MW, -5MW]\n");
    // Points 2 and 5 have the value; the problem is reported once, at the first of them.
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].format(), "s.yaml:12:31: error: sweep.sites[1].grid: point 2 (seed=1, sites[1].grid=-5MW): "
                                 "takes the value -5000000, expected a capacity >= 0");
    // A unit error inside a swept mapping names the key path inside it.
    const auto inner = problems("sweep:\n  sites[0].grid:\n    - [{from: 2026-01-01, capacity: 3 MV}]\n");
    ASSERT_EQ(inner.size(), 1u);
    EXPECT_EQ(inner[0].line, 12);
    EXPECT_EQ(inner[0].column, 7);
    EXPECT_NE(inner[0].message.find("point 0 (sites[0].grid=[{from: 2026-01-01, capacity: 3 MV}]): "
                                    "sites[0].grid[0].capacity: '3 MV' has an unknown unit"),
              std::string::npos)
        << inner[0].format();
}

TEST(Study, FileProblemsAreReportedOnceNotPerPoint) {
    const auto found = problems("sweep:\n  seed: [1, 2, 3]\n", {"sites[0].pue=0.5"});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].origin, "--set sites[0].pue=0.5");
}

TEST(Study, LoadStudyReadsAFile) {
    EXPECT_THROW(load_study("/nonexistent/study.yaml"), IoError);
    // CAPSIM_TRACE_DIR is scenarios/traces; the example study sits beside it.
    const Study s = load_study(CAPSIM_TRACE_DIR "/../small/grid-sweep.yaml");
    EXPECT_EQ(s.replications, 4u);
    EXPECT_EQ(s.points.size(), 3u);
    EXPECT_TRUE(s.coordinates[0].numeric);
}

} // namespace
} // namespace capsim::scenario
