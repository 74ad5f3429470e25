// The plan journal (runs read back to the bit, a line cut short by a kill ignored, failures and the
// end of a shard's search) and the shards' sharing of runs through each other's journals.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "capsim/plan/plan_journal.hpp"
#include "capsim/plan/run_sharing.hpp"
#include "capsim/util/error.hpp"

namespace capsim::plan {
namespace {

std::filesystem::path fresh_folder(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / ("capsim-plan-journal-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

ReplicationOutcome outcome(double cost, double worst, bool holds) {
    ReplicationOutcome o;
    o.cost = cost;
    o.worst = {worst, std::numeric_limits<double>::quiet_NaN()};
    o.holds = {static_cast<char>(holds ? 1 : 0), 1};
    return o;
}

TEST(PlanJournal, ReadsRunsBackToTheBitAndIgnoresALineCutShort) {
    const auto path = (fresh_folder("bits") / "plan.h5.journal").string();
    {
        JournalWriter writer(path, "0123456789abcdef", false);
        writer.run({3, 0}, outcome(0.1 + 0.2, 1.0 / 3.0, true));
        writer.failure({3, 1}, "the run failed\nover two lines");
        writer.done();
    }
    std::ofstream(path, std::ios::app) << "4 0 0x1p+0 0x1p+1 1"; // killed part way through a line
    JournalReader reader(path, "0123456789abcdef", 2);
    ASSERT_TRUE(reader.read_new());
    ASSERT_EQ(reader.runs().size(), 1U);
    const ReplicationOutcome& o = reader.runs().at({3, 0});
    EXPECT_EQ(o.cost, 0.1 + 0.2);
    EXPECT_EQ(o.worst[0], 1.0 / 3.0);
    EXPECT_TRUE(std::isnan(o.worst[1]));
    EXPECT_EQ(o.holds, (std::vector<char>{1, 1}));
    EXPECT_EQ(reader.failures().at({3, 1}), "the run failed over two lines");
    EXPECT_TRUE(reader.done());
    // The rest of the cut line arrives: only now is the run read.
    std::ofstream(path, std::ios::app) << " nan 1 .\n";
    reader.read_new();
    EXPECT_EQ(reader.runs().size(), 2U);
}

TEST(PlanJournal, RefusesAJournalOfAnotherPlan) {
    const auto path = (fresh_folder("other") / "plan.h5.journal").string();
    { JournalWriter(path, "aaaaaaaaaaaaaaaa", false); }
    JournalReader reader(path, "bbbbbbbbbbbbbbbb", 2);
    EXPECT_THROW(reader.read_new(), Error);
    JournalReader missing(path + ".none", "bbbbbbbbbbbbbbbb", 2);
    EXPECT_FALSE(missing.read_new());
    // Its shard starts it anew for this plan: the reader, asked again, now reads it.
    {
        JournalWriter writer(path, "bbbbbbbbbbbbbbbb", false);
        writer.run({1, 0}, outcome(2.0, 1.0, true));
    }
    EXPECT_TRUE(reader.read_new());
    EXPECT_EQ(reader.runs().size(), 1U);
}

TEST(PlanJournal, AppendsAfterALineCutShortWithoutGluingToIt) {
    const auto path = (fresh_folder("append") / "plan.h5.journal").string();
    { JournalWriter(path, "0123456789abcdef", false).run({1, 0}, outcome(1.0, 1.0, true)); }
    std::ofstream(path, std::ios::app) << "2 0 0x1p+0"; // killed part way through a line
    { JournalWriter(path, "0123456789abcdef", true).run({2, 1}, outcome(3.0, 1.0, true)); }
    JournalReader reader(path, "0123456789abcdef", 2);
    reader.read_new();
    EXPECT_EQ(reader.runs().size(), 2U);
    EXPECT_EQ(reader.runs().count({2, 0}), 0U);
    EXPECT_EQ(reader.runs().at({2, 1}).cost, 3.0);
}

TEST(PlanJournal, AReaderFollowsAJournalStartedAgain) {
    const auto path = (fresh_folder("again") / "plan.h5.journal").string();
    {
        JournalWriter writer(path, "0123456789abcdef", false);
        writer.run({1, 0}, outcome(1.0, 1.0, true));
        writer.run({1, 1}, outcome(1.0, 1.0, true));
    }
    JournalReader reader(path, "0123456789abcdef", 2);
    reader.read_new();
    EXPECT_EQ(reader.runs().size(), 2U);
    { JournalWriter(path, "0123456789abcdef", false); } // --force: started again, shorter
    reader.read_new();
    EXPECT_TRUE(reader.runs().empty());
}

TEST(ShardJournals, EachShardSimulatesItsReplicationsAndReadsTheOthers) {
    const auto journal = (fresh_folder("shards") / "plan.h5.journal").string();
    const auto first = over_shard_journals({0, 2}, journal, "0123456789abcdef", 2, true);
    const auto second = over_shard_journals({1, 2}, journal, "0123456789abcdef", 2, true);
    EXPECT_TRUE(first->simulates(0) && first->simulates(2) && !first->simulates(1));
    EXPECT_TRUE(second->simulates(1) && !second->simulates(2));
    EXPECT_EQ(second->own_journal(journal), journal + ".shard-1-of-2");
    EXPECT_EQ(first->journals(journal).size(), 2U);
    {
        JournalWriter peer(second->own_journal(journal), "0123456789abcdef", false);
        peer.run({7, 1}, outcome(5.0, 2.0, false));
        peer.failure({7, 3}, "out of memory");
    }
    std::vector<SharedRun> runs(4); // replications 0..3 of candidate 7; shard 0 ran 0 and 2
    runs[0].state = runs[2].state = SharedRun::State::done;
    first->exchange(7, 0, runs);
    EXPECT_EQ(runs[1].state, SharedRun::State::done);
    EXPECT_EQ(runs[1].outcome.cost, 5.0);
    EXPECT_EQ(runs[3].state, SharedRun::State::failed);
    EXPECT_NE(runs[3].error.find("shard 1/2: out of memory"), std::string::npos);
}

TEST(ShardJournals, OneShardIsAProcessOnItsOwn) {
    const auto sharing = over_shard_journals({0, 1}, "plan.h5.journal", "0123456789abcdef", 2, true);
    EXPECT_EQ(sharing->count(), 1U);
    EXPECT_EQ(sharing->own_journal("plan.h5.journal"), "plan.h5.journal");
}

} // namespace
} // namespace capsim::plan
