#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <utility>
#include <vector>

#include "capsim/workload/job_observer.hpp"
#include "capsim/workload/workload_result.hpp"

namespace capsim::workload {

/// The job table while a run goes: each job's row (kept in the result, in submission order) beside
/// the model's live `State` of the job, and the handing-on of rows.
///
/// A row is final once its job has completed or been rejected. Final rows are handed on in
/// submission order, each once, to the observer and (in batches) to the sink; with a sink they then
/// leave memory, so memory holds only the jobs still in play. A job still in play that holds back a
/// whole batch (a reservation running for years, say) is parked: kept aside, so the rows after it
/// can go; parked rows are handed on last, at finish(), in submission order.
template <class State>
class JobTable {
public:
    /// `rows_per_batch`: how many rows go to the sink at once, and how many a job in play may hold
    /// back before it is parked.
    explicit JobTable(WorkloadResult& result, std::size_t rows_per_batch = 65536)
        : result_(result), rows_per_batch_(rows_per_batch) {}

    void set_sink(JobSink* sink) { sink_ = sink; }
    void set_observer(JobObserver* observer) { observer_ = observer; }

    /// Adds a job; its index is the number of jobs added before it.
    std::uint32_t add(const JobRecord& row, State state) {
        const auto job = static_cast<std::uint32_t>(result_.jobs_total());
        result_.jobs.push_back(row);
        live_.push_back(std::move(state));
        return job;
    }
    std::uint64_t size() const { return result_.jobs_total(); }

    JobRecord& row(std::uint32_t job) {
        if (job < next_final_) return parked_.at(job).first;
        return result_.jobs[job - result_.jobs_released];
    }
    const JobRecord& row(std::uint32_t job) const {
        if (job < next_final_) return parked_.at(job).first;
        return result_.jobs[job - result_.jobs_released];
    }
    State& state(std::uint32_t job) {
        if (job < next_final_) return parked_.at(job).second;
        return live_[job - result_.jobs_released];
    }
    const State& state(std::uint32_t job) const {
        if (job < next_final_) return parked_.at(job).second;
        return live_[job - result_.jobs_released];
    }
    /// Has the job's row been handed on (and it is not parked)? Its row and state are then no longer
    /// reachable here (without a sink the row stays in the result), and its events are stale.
    bool gone(std::uint32_t job) const { return job < next_final_ && parked_.find(job) == parked_.end(); }

    /// Hands on the rows that became final (call after each event).
    void hand_on_final_rows() {
        while (next_final_ < result_.jobs_total()) {
            const auto job = static_cast<std::uint32_t>(next_final_);
            const JobRecord& r = result_.jobs[next_final_ - result_.jobs_released];
            if (r.state == JobState::completed || r.state == JobState::rejected) {
                take_row(next_final_++);
                continue;
            }
            // A job still in play holds back the rows after it; park it once a batch has piled up.
            if (!sink_ || result_.jobs_total() - next_final_ <= rows_per_batch_) break;
            parked_.emplace(job, std::make_pair(r, live_[next_final_ - result_.jobs_released]));
            ++next_final_;
        }
        if (sink_ && buffer_.size() >= rows_per_batch_) flush_rows(false);
    }

    /// Hands on every remaining row (running and queued jobs included), parked ones last.
    void finish() {
        while (next_final_ < result_.jobs_total()) take_row(next_final_++);
        std::vector<std::uint32_t> parked;
        for (const auto& [job, entry] : parked_) parked.push_back(job);
        std::sort(parked.begin(), parked.end());
        for (const std::uint32_t job : parked) {
            if (observer_) observer_->row_final(parked_.at(job).first);
            if (sink_) buffer_.push_back(parked_.at(job).first);
        }
        flush_rows(true);
    }

private:
    void take_row(std::uint64_t job) {
        const JobRecord& r = result_.jobs[job - result_.jobs_released];
        if (observer_) observer_->row_final(r);
        if (sink_) buffer_.push_back(r);
    }

    /// Writes the rows taken so far and drops them from memory.
    void flush_rows(bool all) {
        if (!sink_) return;
        if (!buffer_.empty()) sink_->write(buffer_);
        buffer_.clear();
        const std::uint64_t keep_from = all ? result_.jobs_total() : next_final_;
        while (result_.jobs_released < keep_from) {
            result_.jobs.pop_front();
            live_.pop_front();
            ++result_.jobs_released;
        }
    }

    WorkloadResult& result_;
    std::size_t rows_per_batch_;
    std::deque<State> live_; // from job result_.jobs_released on, like result_.jobs
    std::unordered_map<std::uint32_t, std::pair<JobRecord, State>> parked_;
    JobSink* sink_ = nullptr;
    JobObserver* observer_ = nullptr;
    std::vector<JobRecord> buffer_;
    std::uint64_t next_final_ = 0; // rows before this one have been handed on
};

} // namespace capsim::workload
