#include "capsim/io/replay_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "capsim/io/atomic_output.hpp"
#include "capsim/io/results_reader.hpp"
#include "capsim/io/scenario_writer.hpp"
#include "capsim/run/scenario_run.hpp"
#include "capsim/scenario/scenario_loader.hpp"
#include "capsim/util/error.hpp"
#include "test_support.hpp"

namespace capsim::io {
namespace {

namespace fs = std::filesystem;

TEST(AtomicOutput, FailedRunLeavesNoFile) {
    test::TempDir dir;
    const fs::path target = dir.path() / "r.h5";
    try {
        AtomicOutput output(target.string(), false);
        std::ofstream(output.temp_path()) << "half-written";
        throw InputError("the run failed");
    } catch (const InputError&) {
    }
    EXPECT_FALSE(fs::exists(target));
    EXPECT_TRUE(fs::is_empty(dir.path())) << "the temporary file was left behind";
}

TEST(AtomicOutput, ExistingFileNeedsForce) {
    test::TempDir dir;
    const fs::path target = dir.path() / "r.h5";
    std::ofstream(target) << "earlier results";
    try {
        AtomicOutput output(target.string(), false);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::usage);
        EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos);
    }
    AtomicOutput output(target.string(), true);
    std::ofstream(output.temp_path()) << "new results";
    EXPECT_EQ(fs::file_size(target), std::string("earlier results").size()); // untouched until commit
    output.commit();
    EXPECT_EQ(fs::file_size(target), std::string("new results").size());
}

TEST(AtomicOutput, MissingDirectoryIsAnIoError) {
    EXPECT_THROW(AtomicOutput("/nonexistent-dir/r.h5", false), IoError);
}

TEST(ReplayWriter, WritesAFileThatCommitsAtomically) {
    test::TempDir dir;
    const fs::path target = dir.path() / "r.h5";
    const auto result = test::replay_jobs(10, {{0, 6, 100, 100}, {1, 8, 50, 50}}, "easy");
    const auto summary = metrics::summarize(result.jobs, result.processors);
    AtomicOutput output(target.string(), false);
    write_replay_results(output.temp_path(), result, summary);
    EXPECT_FALSE(fs::exists(target));
    output.commit();
    ASSERT_TRUE(fs::exists(target));
    std::ifstream in(target, std::ios::binary);
    char magic[8] = {};
    in.read(magic, 8);
    EXPECT_EQ(std::string(magic, 8), std::string("\x89HDF\r\n\x1a\n", 8));
}

} // namespace
} // namespace capsim::io

namespace capsim::io {
namespace {

// What the simulator recorded is what a reader of the file gets back, job by job.
TEST(ScenarioWriter, JobTableRoundTrips) {
    const std::string yaml =
        "name: round trip\nseed: 3\nstart: 2026-01-01\nend: 2026-01-10\noutput: {timestep: 1d}\n"
        "sites:\n  - {name: s, grid: 1 MW, pue: 1.2, electricity: 100 USD/MWh, carbon: 400 g/kWh}\n"
        "buildout:\n  - {site: s, node: hgx-h100, count: 4, ordered: 2026-01-01}\n"
        "tenants:\n  - {name: a, share: 1}\n  - {name: b, share: 1}\n"
        "workloads:\n"
        "  - {name: w, tenant: a, class: research, arrivals: {rate: 200/day}, gpus: {choice: [1, 4, 8, 16]},"
        " duration: {exponential: {mean: 2h}}}\n"
        "  - {name: u, tenant: b, class: urgent, arrivals: {rate: 1/day}, gpus: 16, duration: 1h}\n";
    const auto scenario = scenario::parse_scenario(yaml, "t.yaml");
    const auto result = run::simulate_scenario(scenario);
    test::TempDir dir;
    const std::string path = (dir.path() / "r.h5").string();
    write_scenario_results(path, scenario, result);
    const ResultsReader reader(path);
    const auto submit = reader.doubles("/jobs/submit");
    const auto start = reader.doubles("/jobs/start");
    const auto gpus = reader.doubles("/jobs/gpus");
    const auto tenant = reader.doubles("/jobs/tenant");
    const auto state = reader.doubles("/jobs/state");
    const auto& jobs = result.workload.jobs;
    ASSERT_GT(jobs.size(), 1000u);
    ASSERT_EQ(submit.size(), jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        EXPECT_EQ(submit[i], jobs[i].submit_s - scenario.start_s) << "job " << i;
        if (jobs[i].start_s >= 0) {
            EXPECT_EQ(start[i], jobs[i].start_s - scenario.start_s) << "job " << i;
        } else {
            EXPECT_TRUE(std::isnan(start[i])) << "job " << i;
        }
        EXPECT_EQ(gpus[i], jobs[i].gpus);
        EXPECT_EQ(tenant[i], jobs[i].tenant);
        EXPECT_EQ(state[i], static_cast<double>(jobs[i].state));
    }
    EXPECT_EQ(reader.strings("/tenants/tenant"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(reader.string_attribute("/", "scenario").value_or(""), "round trip");
    EXPECT_EQ(reader.number_attribute("/", "jobs").value_or(-1), static_cast<double>(jobs.size()));
}

TEST(ScenarioWriter, SeriesStreamedAsTheRunGoesEqualThoseWrittenAtTheEnd) {
    // Hourly steps over 100 days: 2,400 rows, written in batches while the run goes.
    const std::string yaml =
        "name: streamed\nstart: 2026-01-01\nend: 2026-04-10\nseed: 5\noutput: {timestep: 1h}\n"
        "sites:\n  - {name: s, grid: [{from: 2026-01-01, capacity: 80 kW}, {from: 2026-02-01, capacity: 1 MW}],"
        " pue: 1.2, electricity: 50 USD/MWh, carbon: 300 g/kWh}\n"
        "buildout:\n  - {site: s, node: hgx-h100, count: 2, ordered: 2026-01-01}\n"
        "tenants:\n  - {name: a, share: 1}\n  - {name: b, share: 1}\n"
        "workloads:\n"
        "  - {name: w, tenant: a, class: research, arrivals: {rate: 40/day}, gpus: {choice: [1, 4, 8]},"
        " duration: {exponential: {mean: 2h}}}\n"
        "  - {name: v, tenant: b, class: research, arrivals: {rate: 10/day}, gpus: 8, duration: 3h}\n";
    const auto scenario = scenario::parse_scenario(yaml, "t.yaml");
    test::TempDir dir;
    const std::string streamed_path = (dir.path() / "streamed.h5").string();
    const std::string whole_path = (dir.path() / "whole.h5").string();
    {
        ScenarioResultsFile file(streamed_path, scenario, true);
        const auto result = run::simulate_scenario(scenario, {}, false, file.sinks());
        EXPECT_EQ(result.infra.steps(), 2400u);
        EXPECT_LT(result.infra.series.step_start_s.size(), 1024u) << "the run kept every row";
        file.finish(result);
    }
    write_scenario_results(whole_path, scenario, run::simulate_scenario(scenario));
    const ResultsReader streamed(streamed_path), whole(whole_path);
    for (const char* name : {"/sites/time", "/sites/time_bounds", "/sites/energy_cumulative_mwh", "/sites/powered_gpus",
                             "/sites/stranded_gpus", "/sites/total_energy_mwh", "/tenants/time", "/tenants/busy_gpus",
                             "/tenants/delivered_share", "/tenants/delivered_gpu_hours_cumulative",
                             "/summary/delivered_gpu_hours", "/totals/total_energy_cost"}) {
        const auto a = streamed.doubles(name), b = whole.doubles(name);
        ASSERT_EQ(a.size(), b.size()) << name;
        for (std::size_t i = 0; i < a.size(); ++i) {
            ASSERT_TRUE(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i]))) << name << " at " << i;
        }
    }
    EXPECT_EQ(streamed.doubles("/sites/time").size(), 2400u);
}

} // namespace
} // namespace capsim::io
