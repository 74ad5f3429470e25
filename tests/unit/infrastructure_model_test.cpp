// Hand-computed cases for the infrastructure model: every expected number below is worked out in its
// comment from the catalog's figures (hgx-h100: 8 x H100, idle 87.5 W, max 700 W, overhead 4,600 W,
// so 10,200 W flat out and 5,300 W idle; hgx-b200: 8 x B200, max 1,000 W, overhead 6,300 W, 14,300 W).
#include <gtest/gtest.h>

#include <numeric>
#include <random>

#include "capsim/infra/infrastructure_model.hpp"
#include "capsim/infra/infrastructure_spec.hpp"
#include "capsim/run/scenario_run.hpp"
#include "capsim/scenario/scenario_loader.hpp"

namespace capsim::infra {
namespace {

/// The infrastructure alone, as the capsim command runs a scenario without workloads.
InfrastructureResult simulate_infrastructure(const scenario::Scenario& scenario) {
    return run::simulate_scenario(scenario).infra;
}

InfrastructureResult run(const std::string& yaml) {
    return simulate_infrastructure(scenario::parse_scenario(yaml, "test.yaml"));
}

/// One site, one order; the parts that vary are spliced in.
std::string scenario_text(const std::string& site_fields, const std::string& orders,
                          const std::string& horizon = "start: 2026-01-01\nend: 2026-01-02\n") {
    return "name: test\n" + horizon +
           "output: {timestep: 1d}\n"
           "sites:\n"
           "  - name: s\n" +
           site_fields + "buildout:\n" + orders;
}

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

void expect_relative(double actual, double expected, const char* what) {
    EXPECT_NEAR(actual, expected, 1e-9 * std::abs(expected)) << what;
}

// Load 0 from 00:00 to 12:00 and 1 from 12:00 to 24:00 (a day/night load profile, UTC), PUE 1:
// per day 12 h x 5,300 W + 12 h x 10,200 W = 186,000 Wh = 0.186 MWh; two days 0.372 MWh.
// At 100 USD/MWh that is 37.2 USD; at 500 g/kWh (= 500 kg/MWh) 186 kg = 0.186 t.
// Orders of one pool in service [10, 20), [15, 30) and [20, 40), of 4, 3 (1 spare) and 5 nodes: at
// most 4 + 2 = 6 at once in [15, 20); at 20 the first retires as the third arrives, so 2 + 5 = 7 in
// [20, 30). Another site's or node type's orders, and what lies outside the horizon, do not count.
TEST(InfrastructureSpec, MostNodesInServiceAtOnceLeavesOutSparesAndRetiredOrders) {
    auto order = [](std::size_t site, const char* node, std::int64_t count, std::int64_t spares, double from_s,
                    double to_s) {
        OrderSpec o;
        o.site = site;
        o.node = node;
        o.count = count;
        o.spare_nodes = spares;
        o.ordered_s = from_s;
        o.lifetime_s = to_s - from_s;
        return o;
    };
    const std::vector<OrderSpec> buildout = {order(0, "hgx-h100", 4, 0, 10, 20), order(0, "hgx-h100", 3, 1, 15, 30),
                                             order(0, "hgx-h100", 5, 0, 20, 40), order(1, "hgx-h100", 50, 0, 0, 100),
                                             order(0, "hgx-b200", 50, 0, 0, 100)};
    EXPECT_EQ(most_nodes_in_service(buildout, 0, "hgx-h100", 0, 100), 7);
    EXPECT_EQ(most_nodes_in_service(buildout, 0, "hgx-h100", 0, 20), 6);  // the horizon ends before the third
    EXPECT_EQ(most_nodes_in_service(buildout, 0, "hgx-h100", 30, 100), 5);
    EXPECT_EQ(most_nodes_in_service(buildout, 0, "hgx-h100", 40, 100), 0); // all retired
    EXPECT_EQ(most_nodes_in_service(buildout, 2, "hgx-h100", 0, 100), 0);
}

TEST(InfrastructureModel, EnergyOfOneNodeOverAKnownLoadSchedule) {
    const auto r = run(scenario_text("    grid: 1 MW\n    pue: 1.0\n    electricity: 100 USD/MWh\n"
                                     "    carbon: 500 g/kWh\n    load: {day: 1, night: 0, night_hours: [0, 12]}\n",
                                     "  - {site: s, node: hgx-h100, count: 1, ordered: 2026-01-01}\n"));
    ASSERT_EQ(r.steps(), 2u);
    expect_relative(sum(r.series.facility_energy_mwh), 0.372, "energy");
    expect_relative(sum(r.series.energy_cost), 37.2, "cost");
    expect_relative(sum(r.series.carbon_t), 0.186, "carbon");
    expect_relative(r.series.it_power_peak_w[0], 10200, "peak");
    expect_relative(r.series.it_power_mean_w[0], (5300 + 10200) / 2.0, "mean power");
}

// Square power curve at load 0.5: each H100 draws 87.5 + 612.5 x 0.25 = 240.625 W; the node
// 8 x 240.625 + 4,600 = 6,525 W, for 24 h: 0.1566 MWh.
TEST(InfrastructureModel, PowerCurveShapesTheDraw) {
    const std::string yaml = "power: {curve: square}\n" +
                             scenario_text("    grid: 1 MW\n    pue: 1.0\n    electricity: 0 USD/MWh\n"
                                           "    carbon: 0 g/kWh\n    load: 0.5\n",
                                           "  - {site: s, node: hgx-h100, count: 1, ordered: 2026-01-01}\n",
                                           "start: 2026-01-01\nend: 2026-01-01\n");
    const auto r = run(yaml);
    expect_relative(r.series.it_power_mean_w[0], 6525, "node power");
    expect_relative(r.series.facility_energy_mwh[0], 6525 * 24 / 1e6, "energy");
}

// Grid 25 kW, then 60 kW from the third day; 5 hgx-h100 nodes (10,200 W each at full load), PUE 1.
// Days 1-2: floor(25,000 / 10,200) = 2 nodes powered (16 GPUs), 3 stranded (24 GPUs).
// From day 3: 5 nodes need 51 kW <= 60 kW: all 40 powered.
TEST(InfrastructureModel, GridCapStrandsNodesUntilTheGridGrows) {
    const auto r = run(scenario_text(
        "    grid: [{from: 2026-01-01, capacity: 25 kW}, {from: 2026-01-03, capacity: 60 kW}]\n"
        "    pue: 1.0\n    electricity: 0 USD/MWh\n    carbon: 0 g/kWh\n    load: 1\n",
        "  - {site: s, node: hgx-h100, count: 5, ordered: 2026-01-01}\n", "start: 2026-01-01\nend: 2026-01-04\n"));
    ASSERT_EQ(r.steps(), 4u);
    ASSERT_EQ(r.gpu_types, std::vector<std::string>{"H100"});
    const std::vector<double> powered = r.series.powered_gpus, stranded = r.series.stranded_gpus;
    EXPECT_EQ(powered, (std::vector<double>{16, 16, 40, 40}));
    EXPECT_EQ(stranded, (std::vector<double>{24, 24, 0, 0}));
    expect_relative(r.series.it_power_mean_w[0], 2 * 10200, "two nodes");
    expect_relative(r.series.it_power_mean_w[3], 5 * 10200, "five nodes");
    expect_relative(r.totals[0].gpu_hours_stranded, 24 * 48, "stranded GPU-hours");
}

// PUE 1.25 shrinks the IT budget of a 40 kW grid to 32 kW: a B200 node (14,300 W) is powered first
// as the newer generation, leaving 17,700 W for one H100 node (10,200 W); the second H100 is dark.
TEST(InfrastructureModel, NewestGenerationIsPoweredFirst) {
    const auto r = run(scenario_text("    grid: 40 kW\n    pue: 1.25\n    electricity: 0 USD/MWh\n"
                                     "    carbon: 0 g/kWh\n    load: 1\n",
                                     "  - {site: s, node: hgx-h100, count: 2, ordered: 2026-01-01}\n"
                                     "  - {site: s, node: hgx-b200, count: 1, ordered: 2026-01-01}\n",
                                     "start: 2026-01-01\nend: 2026-01-01\n"));
    ASSERT_EQ(r.gpu_types, (std::vector<std::string>{"B200", "H100"}));
    EXPECT_EQ(r.series.powered_gpus, (std::vector<double>{8, 8}));  // B200, H100
    EXPECT_EQ(r.series.stranded_gpus, (std::vector<double>{0, 8}));
    expect_relative(r.series.facility_power_mean_w[0], (14300 + 10200) * 1.25, "facility power");
}

// Ordered on day 0 with a lead time of 2 days, 1 day of commissioning and a lifetime of 3 days:
// installed (delivered, not retired) on days 2-5, in service and drawing power on days 3-5, retired
// from day 6. Daily steps over 8 days.
TEST(InfrastructureModel, LeadTimeCommissioningAndRetirementMoveCapacity) {
    const auto r = run(scenario_text("    grid: 1 MW\n    pue: 1.0\n    electricity: 0 USD/MWh\n"
                                     "    carbon: 0 g/kWh\n    load: 0\n",
                                     "  - {site: s, node: hgx-h100, count: 1, ordered: 2026-01-01, lead_time: 2d, "
                                     "commissioning: 1d, lifetime: 3d}\n",
                                     "start: 2026-01-01\nend: 2026-01-08\n"));
    EXPECT_EQ(r.series.installed_gpus, (std::vector<double>{0, 0, 8, 8, 8, 8, 0, 0}));
    EXPECT_EQ(r.series.in_service_gpus, (std::vector<double>{0, 0, 0, 8, 8, 8, 0, 0}));
    EXPECT_EQ(r.series.retired_gpus, (std::vector<double>{0, 0, 0, 0, 0, 0, 8, 8}));
    EXPECT_EQ(r.series.it_power_mean_w, (std::vector<double>{0, 0, 0, 5300, 5300, 5300, 0, 0}));
}

// One H100 node flat out (10,200 W), PUE 1, for one local day in UTC+2: night 22:00-06:00 local is
// 8 h at 50 USD/MWh, day 16 h at 100 USD/MWh: 10.2 kW x (8 h x 0.05 + 16 h x 0.1) USD/kWh = 20.4 USD.
// The day starts at 00:00 local (2025-12-31 22:00 UTC) so the steps are local days too.
TEST(InfrastructureModel, DayNightTariffCost) {
    const auto r = run(scenario_text("    utc_offset: +2h\n    grid: 1 MW\n    pue: 1.0\n"
                                     "    electricity: {day: 100 USD/MWh, night: 50 USD/MWh, night_hours: [22, 6]}\n"
                                     "    carbon: 0 g/kWh\n    load: 1\n",
                                     "  - {site: s, node: hgx-h100, count: 1, ordered: 2025-12-31 22:00}\n",
                                     "start: 2025-12-31 22:00\nend: 2026-01-01 22:00\n"));
    ASSERT_EQ(r.steps(), 1u);
    expect_relative(r.series.energy_cost[0], 20.4, "cost");
    expect_relative(r.series.facility_energy_mwh[0], 0.2448, "energy");
}

// Monthly PUE 1.1 in January, 1.2 in February, 1.3 in March; one H100 node flat out (10.2 kW IT):
// facility energy = 10.2 kW x 24 h x (31 x 1.1 + 28 x 1.2 + 31 x 1.3) = 10.2 x 24 x 108 kWh = 26.4384 MWh.
TEST(InfrastructureModel, MonthlyPue) {
    const auto r = run(scenario_text("    grid: 1 MW\n"
                                     "    pue: {monthly: [1.1, 1.2, 1.3, 1.4, 1.4, 1.4, 1.4, 1.4, 1.4, 1.4, 1.4, 1.4]}\n"
                                     "    electricity: 0 USD/MWh\n    carbon: 0 g/kWh\n    load: 1\n",
                                     "  - {site: s, node: hgx-h100, count: 1, ordered: 2026-01-01}\n",
                                     "start: 2026-01-01\nend: 2026-03-31\n"));
    expect_relative(sum(r.series.facility_energy_mwh), 26.4384, "facility energy");
    expect_relative(sum(r.series.it_energy_mwh), 10.2 * 24 * 90 / 1000, "IT energy");
    expect_relative(r.series.pue_mean[31], 1.2, "PUE on February 1");
}

// 10 nodes at 100 USD each, lifetime 10 days, in a 20-day run: 1,000 USD capex on day 0, all of it
// depreciated by day 10 (100 USD a day). Facility capex 1e6 USD/MW on a 50 kW grid: 50,000 USD,
// depreciated over 100 days: 500 USD a day, 10,000 USD over 20 days.
TEST(InfrastructureModel, CapexAndStraightLineDepreciation) {
    const auto r = run(scenario_text("    grid: 50 kW\n    pue: 1.0\n    electricity: 0 USD/MWh\n"
                                     "    carbon: 0 g/kWh\n    facility_capex: 1e6 USD/MW\n    facility_lifetime: 100d\n",
                                     "  - {site: s, node: hgx-h100, count: 10, ordered: 2026-01-01, lifetime: 10d, "
                                     "price: 100 USD}\n",
                                     "start: 2026-01-01\nend: 2026-01-20\n"));
    expect_relative(r.series.capex[0], 1000 + 50000, "capex on day 0");
    expect_relative(sum(r.series.capex), 51000, "capex");
    expect_relative(r.totals[0].capex_hardware, 1000, "hardware");
    expect_relative(r.totals[0].capex_facility, 50000, "facility");
    expect_relative(r.series.depreciation[0], 100 + 500, "depreciation on day 0");
    expect_relative(r.series.depreciation[15], 500, "hardware fully depreciated");
    expect_relative(sum(r.series.depreciation), 1000 + 20 * 500, "depreciation");
}

// An installed fleet, ordered before the start, over 10 days at 100 USD/MWh, load 0 (5,300 W a node):
// - 10 nodes (100 USD each, lifetime 40 days) in service since 2025-12-11: no capex in the run, in
//   service from day 0, depreciating 1,000 / 40 = 25 USD a day;
// - 1 node delivered on 2025-12-30 and commissioned until 2026-01-04: installed from day 0, in service
//   from day 3, depreciating 100 / 100 = 1 USD a day from then;
// - 2 nodes retired in January 2025 and an order of 0 nodes: outside the run, nothing at all;
// - 1 node ordered on the start day: 100 USD capex on day 0, depreciating 1 USD a day.
// In service: 88 GPUs on days 0-2, 96 from day 3; power 11 then 12 nodes x 5,300 W.
TEST(InfrastructureModel, InstalledFleetBooksNoCapexButDepreciatesAndDrawsPower) {
    const auto r = run(scenario_text("    grid: 1 MW\n    pue: 1.0\n    electricity: 100 USD/MWh\n"
                                     "    carbon: 0 g/kWh\n    load: 0\n",
                                     "  - {site: s, node: hgx-h100, count: 10, ordered: 2025-12-01, lead_time: 5d, "
                                     "commissioning: 5d, lifetime: 40d, price: 100 USD}\n"
                                     "  - {site: s, node: hgx-h100, count: 1, ordered: 2025-12-20, lead_time: 10d, "
                                     "commissioning: 5d, lifetime: 100d, price: 100 USD}\n"
                                     "  - {site: s, node: hgx-h100, count: 2, ordered: 2025-01-01, lifetime: 30d, "
                                     "price: 100 USD}\n"
                                     "  - {site: s, node: hgx-h100, count: 0, ordered: 2026-01-05, price: 100 USD}\n"
                                     "  - {site: s, node: hgx-h100, count: 1, ordered: 2026-01-01, lifetime: 100d, "
                                     "price: 100 USD}\n",
                                     "start: 2026-01-01\nend: 2026-01-10\n"));
    ASSERT_EQ(r.steps(), 10u);
    EXPECT_EQ(r.series.installed_gpus, std::vector<double>(10, 96));
    EXPECT_EQ(r.series.in_service_gpus, (std::vector<double>{88, 88, 88, 96, 96, 96, 96, 96, 96, 96}));
    EXPECT_EQ(r.series.retired_gpus, std::vector<double>(10, 0));
    expect_relative(r.totals[0].capex_hardware, 100, "hardware capex: the order inside the run only");
    expect_relative(r.series.capex[0], 100, "capex on day 0");
    expect_relative(sum(r.series.capex), 100, "capex");
    expect_relative(r.series.depreciation[0], 25 + 1, "depreciation on day 0");
    expect_relative(r.series.depreciation[3], 25 + 1 + 1, "depreciation from day 3");
    expect_relative(sum(r.series.depreciation), 250 + 7 + 10, "depreciation");
    expect_relative(r.series.it_power_mean_w[0], 11 * 5300, "power on day 0");
    expect_relative(r.series.it_power_mean_w[3], 12 * 5300, "power from day 3");
    expect_relative(sum(r.series.energy_cost), (3 * 11 + 7 * 12) * 5.3 * 24 / 1000 * 100, "electricity");
}

/// Random scenarios: many orders of mixed types and dates, stepped grids, monthly PUE, day/night
/// load; checks what must hold whatever the inputs.
TEST(InfrastructureModel, InvariantsOnRandomScenarios) {
    const char* nodes[] = {"hgx-a100", "hgx-h100", "hgx-h200", "hgx-b200", "gb200-nvl72", "mi300x-8"};
    for (unsigned seed = 1; seed <= 20; ++seed) {
        std::mt19937 rng(seed);
        std::uniform_int_distribution<int> day(0, 300), count(1, 40), node(0, 5), mw(1, 6);
        std::string sites, orders;
        for (int s = 0; s < 2; ++s) {
            sites += "  - name: s" + std::to_string(s) + "\n    grid: [{from: 2026-01-01, capacity: " + std::to_string(mw(rng)) +
                     " MW}, {from: 2026-0" + std::to_string(3 + s) + "-01, capacity: " + std::to_string(mw(rng)) + " MW}]\n" +
                     "    pue: {monthly: [1.1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.6, 1.4, 1.3, 1.2, 1.1]}\n"
                     "    electricity: {day: 120 USD/MWh, night: 60 USD/MWh, night_hours: [22, 6]}\n"
                     "    carbon: 450 g/kWh\n    load: {day: 0.9, night: 0.3, night_hours: [20, 8]}\n";
        }
        for (int o = 0; o < 12; ++o) {
            const int d = day(rng);
            orders += "  - {site: s" + std::to_string(o % 2) + ", node: " + nodes[node(rng)] + ", count: " +
                      std::to_string(count(rng)) + ", ordered: 2026-" + (d < 181 ? "01-01" : "07-01") +
                      ", lead_time: " + std::to_string(d % 120) + "d, commissioning: " + std::to_string(d % 9) +
                      "d, lifetime: " + std::to_string(60 + d) + "d}\n";
        }
        const std::string yaml = "name: random\nstart: 2026-01-01\nend: 2026-12-31\noutput: {timestep: 7d}\nsites:\n" + sites +
                                 "buildout:\n" + orders;
        const auto r = run(yaml);
        const std::size_t steps = r.steps(), n_sites = r.sites.size(), types = r.gpu_types.size();
        for (std::size_t t = 0; t < steps; ++t) {
            const double length_s = r.series.step_end_s[t] - r.series.step_start_s[t];
            for (std::size_t s = 0; s < n_sites; ++s) {
                const std::size_t i = t * n_sites + s;
                // Energy is the integral of power: the step's energy over its mean power times its length.
                EXPECT_NEAR(r.series.facility_energy_mwh[i], r.series.facility_power_mean_w[i] * length_s / 3.6e9,
                            1e-9 * std::max(1.0, r.series.facility_energy_mwh[i]));
                EXPECT_LE(r.series.it_power_mean_w[i], r.series.it_power_peak_w[i] * (1 + 1e-12));
                EXPECT_LE(r.series.facility_power_peak_w[i], 6e6 * (1 + 1e-9)); // never above the largest grid
                for (std::size_t g = 0; g < types; ++g) {
                    const std::size_t k = i * types + g;
                    EXPECT_NEAR(r.series.powered_gpus[k] + r.series.stranded_gpus[k], r.series.in_service_gpus[k], 1e-6);
                    EXPECT_LE(r.series.in_service_gpus[k], r.series.installed_gpus[k] + 1e-6);
                    EXPECT_GE(r.series.stranded_gpus[k], -1e-9);
                }
            }
        }
        double energy = 0, integral = 0;
        for (std::size_t i = 0; i < r.series.facility_energy_mwh.size(); ++i) {
            energy += r.series.facility_energy_mwh[i];
            integral += r.series.facility_power_mean_w[i] *
                        (r.series.step_end_s[i / n_sites] - r.series.step_start_s[i / n_sites]) / 3.6e9;
        }
        double total = 0;
        for (const auto& t : r.totals) total += t.facility_energy_mwh;
        EXPECT_NEAR(total, energy, 1e-9 * energy) << "seed " << seed;
        EXPECT_NEAR(integral, energy, 1e-9 * energy) << "seed " << seed;
        EXPECT_GT(energy, 0) << "seed " << seed;
    }
}

TEST(InfrastructureModel, OverridesChangeTheRun) {
    const std::string yaml = scenario_text("    grid: 25 kW\n    pue: 1.0\n    electricity: 0 USD/MWh\n"
                                           "    carbon: 0 g/kWh\n    load: 1\n",
                                           "  - {site: s, node: hgx-h100, count: 5, ordered: 2026-01-01}\n");
    const auto capped = simulate_infrastructure(scenario::parse_scenario(yaml, "t.yaml"));
    const auto grown = simulate_infrastructure(scenario::parse_scenario(yaml, "t.yaml", {"sites[0].grid=60kW"}));
    EXPECT_EQ(capped.series.powered_gpus[0], 16);
    EXPECT_EQ(grown.series.powered_gpus[0], 40);
}

} // namespace
} // namespace capsim::infra
