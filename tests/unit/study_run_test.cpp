// The work of a study: shards that cover it exactly once, runs that depend only on their own
// (point, replication), and a results file whose statistics are those of its replications.
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "capsim/io/hdf5_file.hpp"
#include "capsim/io/shard_merge.hpp"
#include "capsim/study/rank_transport.hpp"
#include "capsim/study/study_run.hpp"
#include "capsim/run/study_work.hpp"
#include "capsim/scenario/study.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/stop_request.hpp"
#include "test_support.hpp"

namespace capsim::run {
namespace {

using study::RankTransport;
using study::run_study;
using study::StudyRunOptions;

namespace fs = std::filesystem;

// Two tenants' Poisson jobs on two nodes for ten days: every replication differs.
constexpr const char* study_yaml = R"(
name: small study
start: 2026-01-01
end: 2026-01-10
seed: 3
replications: 3
sites:
  - {name: lab, grid: 1 MW, pue: 1.2, electricity: 100 USD/MWh, carbon: 300 g/kWh}
buildout:
  - {site: lab, node: hgx-h100, count: 2, ordered: 2026-01-01}
tenants:
  - {name: a, share: 0.5}
  - {name: b, share: 0.5}
workloads:
  - {name: a-jobs, tenant: a, class: research, arrivals: {rate: 30/day}, gpus: {choice: [1, 4, 8]},
     duration: {exponential: {mean: 2h}}}
  - {name: b-jobs, tenant: b, class: research, arrivals: {rate: 10/day}, gpus: 8, duration: 3h}
sweep:
  workloads[1].arrivals.rate: [5/day, 20/day]
)";

TEST(Shard, SlicesCoverTheWorkListExactlyOnce) {
    for (std::size_t items : {1, 2, 7, 12, 100}) {
        for (std::size_t count = 1; count <= items; ++count) {
            std::size_t covered = 0, previous_end = 0;
            for (std::size_t i = 0; i < count; ++i) {
                const Shard shard{i, count};
                EXPECT_EQ(shard.begin(items), previous_end);
                EXPECT_LT(shard.begin(items), shard.end(items)) << "an empty shard of " << items << " in " << count;
                covered += shard.end(items) - shard.begin(items);
                previous_end = shard.end(items);
            }
            EXPECT_EQ(covered, items);
            EXPECT_EQ(previous_end, items);
        }
    }
}

TEST(Shard, ParsesIOfNAndRejectsTheRest) {
    const Shard s = Shard::parse("3/8");
    EXPECT_EQ(s.index, 3u);
    EXPECT_EQ(s.count, 8u);
    EXPECT_EQ(s.text(), "3/8");
    for (const char* bad : {"8/8", "1/0", "3", "a/b", "-1/4", "1/4/2", ""}) {
        EXPECT_THROW(Shard::parse(bad), Error) << bad;
    }
}

TEST(WorkList, IsPointMajor) {
    const WorkList work(3, 4);
    EXPECT_EQ(work.size(), 12u);
    EXPECT_EQ(work.item(5), (WorkItem{1, 1}));
    for (std::size_t k = 0; k < work.size(); ++k) EXPECT_EQ(work.index(work.item(k)), k);
}

/// Equal value for value, NaN (an undefined statistic) equal to NaN.
bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
    }
    return true;
}

TEST(StudyWork, ARunDependsOnlyOnItsPointAndReplication) {
    const scenario::Study study = scenario::parse_study(study_yaml, "study.yaml");
    ASSERT_EQ(study.work_items(), 6u);
    const FinishedRun first = simulate_work_item(study, {1, 2});
    simulate_work_item(study, {0, 0}); // another run in between changes nothing
    const FinishedRun again = simulate_work_item(study, {1, 2});
    EXPECT_TRUE(same_values(first.values, again.values));
    EXPECT_FALSE(same_values(first.values, simulate_work_item(study, {1, 1}).values)) << "replications share a stream";
    EXPECT_FALSE(same_values(first.values, simulate_work_item(study, {0, 2}).values)) << "points share a stream";
}

TEST(StudyWork, FingerprintChangesWithWhatDecidesTheRuns) {
    const std::string base = study_fingerprint(scenario::parse_study(study_yaml, "a.yaml"));
    EXPECT_EQ(base, study_fingerprint(scenario::parse_study(study_yaml, "elsewhere/a.yaml")));
    EXPECT_NE(base, study_fingerprint(scenario::parse_study(study_yaml, "a.yaml", {"seed=4"})));
    EXPECT_NE(base, study_fingerprint(scenario::parse_study(study_yaml, "a.yaml", {"replications=4"})));
    EXPECT_NE(base, study_fingerprint(scenario::parse_study(study_yaml, "a.yaml", {"sweep.workloads[1].arrivals.rate=[5/day]"})));
}

class StudyFile : public ::testing::Test {
protected:
    std::string run(const std::string& name, StudyRunOptions options) {
        options.output = (dir_.path() / name).string();
        options.quiet = true;
        RankTransport alone;
        run_study(study_, options, alone);
        return options.output;
    }
    test::TempDir dir_;
    scenario::Study study_ = scenario::parse_study(study_yaml, "study.yaml");
};

TEST_F(StudyFile, StatisticsAreThoseOfTheStoredReplications) {
    const std::string path = run("study.h5", {});
    EXPECT_FALSE(fs::exists(path + ".parts")) << "the finished runs outlived the results file";
    const io::File file = io::File::open_read_only(path);
    const std::vector<double> jobs = file.open_group("totals").open_dataset("jobs").read_all();       // point x replication
    const std::vector<double> stats = file.open_group("stats/totals").open_dataset("jobs").read_all(); // point x statistic
    ASSERT_EQ(jobs.size(), 6u);
    ASSERT_EQ(stats.size(), 18u);
    for (std::size_t p = 0; p < 2; ++p) {
        const double a = jobs[p * 3], b = jobs[p * 3 + 1], c = jobs[p * 3 + 2];
        const double mean = (a + b + c) / 3;
        const double sd = std::sqrt(((a - mean) * (a - mean) + (b - mean) * (b - mean) + (c - mean) * (c - mean)) / 2);
        EXPECT_NEAR(stats[p * 9 + 0], mean, 1e-9);
        EXPECT_NEAR(stats[p * 9 + 1], sd, 1e-9);
        EXPECT_NEAR(stats[p * 9 + 3] - stats[p * 9 + 0], 4.302652729749464 * sd / std::sqrt(3.0), 1e-9); // t(2)
        EXPECT_EQ(stats[p * 9 + 6], std::max(std::min(a, b), std::min(std::max(a, b), c)));              // median
    }
    EXPECT_GT(jobs[3] + jobs[4] + jobs[5], jobs[0] + jobs[1] + jobs[2]) << "the sweep did not reach point 1";
}

TEST_F(StudyFile, ShardsMergeIntoTheFileOfOneRun) {
    const std::string whole = run("whole.h5", {});
    std::vector<std::string> shards;
    for (std::size_t i = 0; i < 4; ++i) {
        StudyRunOptions options;
        options.shard = Shard{i, 4};
        shards.push_back(run("shard" + std::to_string(i) + ".h5", options));
    }
    const std::string merged = (dir_.path() / "merged.h5").string();
    io::merge_shards(shards, merged, false);
    for (const char* dataset : {"totals/jobs", "stats/tenants/queued_jobs", "sites/energy_mwh", "stats/summary/wait_mean_s"}) {
        const std::string name(dataset);
        const std::size_t slash = name.rfind('/');
        auto read = [&](const std::string& path) {
            return io::File::open_read_only(path).open_group(name.substr(0, slash)).open_dataset(name.substr(slash + 1)).read_all();
        };
        EXPECT_TRUE(same_values(read(whole), read(merged))) << dataset;
    }
    EXPECT_THROW(io::merge_shards({shards[0], shards[1], shards[3]}, (dir_.path() / "m2.h5").string(), false), InputError);
    EXPECT_FALSE(fs::exists(dir_.path() / "m2.h5"));
}

TEST_F(StudyFile, FinishedRunsOfAnEarlierRunNeedResumeOrForce) {
    const std::string path = (dir_.path() / "r.h5").string();
    fs::create_directories(path + ".parts");
    // A leftover temporary part (a run killed while writing it) is not a finished run.
    std::ofstream(path + ".parts/point000000-replication000000.h5.tmp") << "cut short";
    StudyRunOptions options;
    EXPECT_THROW(run("r.h5", options), Error);
    options.resume = true;
    run("r.h5", options);
    EXPECT_TRUE(fs::exists(path));
}

// A signal that arrives between two runs, when no run is in progress to notice it, stops the study
// as one during a run does: exit 143, nothing written, and no run left behind as half done.
TEST_F(StudyFile, AStopBetweenRunsStopsTheStudy) {
    const std::string path = (dir_.path() / "stopped.h5").string();
    request_stop_for_testing(SIGTERM);
    try {
        run("stopped.h5", {});
        ADD_FAILURE() << "the study ran to its end";
    } catch (const Interrupted& e) {
        EXPECT_EQ(e.signal(), SIGTERM);
        EXPECT_NE(std::string(e.what()).find("the study stopped by SIGTERM; 0 of 6 runs are kept"), std::string::npos)
            << e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a stop: " << e.what();
    }
    request_stop_for_testing(0);
    EXPECT_FALSE(fs::exists(path));
    StudyRunOptions options;
    options.resume = true;
    run("stopped.h5", options);
    EXPECT_TRUE(fs::exists(path));
}

} // namespace
} // namespace capsim::run
