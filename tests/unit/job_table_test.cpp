#include "capsim/workload/job_table.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace capsim::workload {
namespace {

struct CollectingSink final : JobSink {
    void write(std::span<const JobRecord> rows) override {
        ++batches;
        for (const JobRecord& r : rows) tenants.push_back(r.tenant);
    }
    std::vector<std::uint32_t> tenants; // the rows' tenant field carries the job index in these tests
    int batches = 0;
};

struct CountingObserver final : JobObserver {
    void row_final(const JobRecord& row) override { seen.push_back(row.tenant); }
    std::vector<std::uint32_t> seen;
};

JobRecord row_of(std::uint32_t job, JobState state) {
    JobRecord r;
    r.tenant = job;
    r.state = state;
    return r;
}

// Without a sink every row stays in memory and goes to the observer in submission order, held back
// by the first job still in play until it is final.
TEST(JobTable, FinalRowsGoOnInSubmissionOrder) {
    WorkloadResult result;
    JobTable<int> table(result);
    CountingObserver observer;
    table.set_observer(&observer);
    for (std::uint32_t j = 0; j < 4; ++j) table.add(row_of(j, j == 1 ? JobState::running : JobState::completed), 10 + int(j));
    table.hand_on_final_rows();
    EXPECT_EQ(observer.seen, (std::vector<std::uint32_t>{0}));
    EXPECT_EQ(table.state(1), 11);
    table.row(1).state = JobState::completed;
    table.hand_on_final_rows();
    EXPECT_EQ(observer.seen, (std::vector<std::uint32_t>{0, 1, 2, 3}));
    EXPECT_EQ(result.jobs.size(), 4u);
    EXPECT_TRUE(table.gone(1)); // handed on: its row lives on in the result only
}

// With a sink, rows leave memory in batches; a job in play that holds back a whole batch is parked
// (its row and state stay reachable) and handed on last, at finish().
TEST(JobTable, ALongJobIsParkedSoTheRowsAfterItCanGo) {
    WorkloadResult result;
    JobTable<int> table(result, 3);
    CollectingSink sink;
    CountingObserver observer;
    table.set_sink(&sink);
    table.set_observer(&observer);
    table.add(row_of(0, JobState::running), 100); // a reservation running all along
    for (std::uint32_t j = 1; j <= 7; ++j) table.add(row_of(j, JobState::completed), int(j));
    table.hand_on_final_rows();
    EXPECT_EQ(sink.tenants, (std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6, 7}));
    EXPECT_TRUE(result.jobs.empty());
    EXPECT_EQ(result.jobs_released, 8u);
    EXPECT_EQ(table.state(0), 100); // parked, still in play
    EXPECT_FALSE(table.gone(0));
    EXPECT_TRUE(table.gone(3));
    table.row(0).state = JobState::completed;
    table.add(row_of(8, JobState::queued), 8);
    table.finish();
    EXPECT_EQ(sink.tenants, (std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6, 7, 8, 0}));
    EXPECT_EQ(observer.seen, sink.tenants);
    EXPECT_EQ(table.size(), 9u);
}

} // namespace
} // namespace capsim::workload
