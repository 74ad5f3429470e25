#include "capsim/plan/run_sharing.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

#include "capsim/plan/plan_journal.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/stop_request.hpp"

namespace capsim::plan {
namespace {

class Alone final : public RunSharing {};

/// The ranks of an MPI job. Rank 0 keeps the journal of every run; the others keep none.
class OverRanks final : public RunSharing {
public:
    OverRanks(study::RankTransport& transport, std::size_t constraints)
        : transport_(transport), constraints_(constraints) {}

    std::size_t index() const override { return transport_.rank(); }
    std::size_t count() const override { return transport_.size(); }
    std::string name() const override {
        return "rank " + std::to_string(index()) + " of " + std::to_string(count());
    }
    std::string own_journal(const std::string& journal) const override { return index() == 0 ? journal : ""; }
    bool records(std::size_t) const override { return index() == 0; }
    void ready() override { transport_.barrier(); } // no rank reads the journal after rank 0 opens it

    void exchange(std::size_t grid, std::size_t first, std::vector<SharedRun>& runs) override {
        (void)grid;
        const std::size_t width = 2 + 2 * constraints_; // state, cost, worst values, holds
        std::vector<double> mine(runs.size() * width, 0.0);
        for (std::size_t i = 0; i < runs.size(); ++i) {
            const SharedRun& run = runs[i];
            if (run.kept || !simulates(first + i)) continue;
            double* slot = &mine[i * width];
            slot[0] = static_cast<double>(run.state);
            if (run.state != SharedRun::State::done) continue;
            slot[1] = run.outcome.cost;
            for (std::size_t c = 0; c < constraints_; ++c) {
                slot[2 + c] = run.outcome.worst[c];
                slot[2 + constraints_ + c] = run.outcome.holds[c];
            }
        }
        const std::vector<double> all = transport_.all_gather(mine);
        for (std::size_t i = 0; i < runs.size(); ++i) {
            SharedRun& run = runs[i];
            if (run.kept || simulates(first + i)) continue;
            const std::size_t from = (first + i) % count();
            const double* slot = &all[from * mine.size() + i * width];
            run.state = static_cast<SharedRun::State>(static_cast<int>(slot[0]));
            if (run.state == SharedRun::State::failed) {
                run.error = "rank " + std::to_string(from) + " could not simulate replication " +
                            std::to_string(first + i) + " (its own message says why)";
            }
            if (run.state != SharedRun::State::done) continue;
            run.outcome.cost = slot[1];
            run.outcome.worst.assign(slot + 2, slot + 2 + constraints_);
            run.outcome.holds.clear();
            for (std::size_t c = 0; c < constraints_; ++c) run.outcome.holds.push_back(slot[2 + constraints_ + c] != 0 ? 1 : 0);
        }
    }

private:
    study::RankTransport& transport_;
    std::size_t constraints_;
};

/// The shards of a Slurm array on a shared file system: each appends its own runs to a journal of
/// its own and reads the others' journals as they grow.
class OverShardJournals final : public RunSharing {
public:
    OverShardJournals(const run::Shard& shard, const std::string& journal, const std::string& fingerprint,
                      std::size_t constraints, bool quiet)
        : shard_(shard), journal_(journal), quiet_(quiet) {
        for (std::size_t k = 0; k < shard_.count; ++k) peers_.emplace_back(path_of(k), fingerprint, constraints);
    }

    std::size_t index() const override { return shard_.index; }
    std::size_t count() const override { return shard_.count; }
    std::string name() const override { return "shard " + shard_.text(); }
    std::string own_journal(const std::string&) const override { return path_of(shard_.index); }
    bool records(std::size_t replication) const override { return simulates(replication); }
    std::vector<std::string> journals(const std::string&) const override {
        std::vector<std::string> all;
        for (std::size_t k = 0; k < shard_.count; ++k) all.push_back(path_of(k));
        return all;
    }

    void exchange(std::size_t grid, std::size_t first, std::vector<SharedRun>& runs) override {
        wait_until("runs of a candidate", [&] {
            bool all = true;
            for (std::size_t i = 0; i < runs.size(); ++i) {
                SharedRun& run = runs[i];
                if (run.state != SharedRun::State::missing || simulates(first + i)) continue;
                const std::size_t from = (first + i) % count();
                const RunKey key{grid, first + i};
                if (auto found = peers_[from].runs().find(key); found != peers_[from].runs().end()) {
                    run.state = SharedRun::State::done;
                    run.outcome = found->second;
                } else if (auto failed = peers_[from].failures().find(key); failed != peers_[from].failures().end()) {
                    run.state = SharedRun::State::failed;
                    run.error = "shard " + run::Shard{from, count()}.text() + ": " + failed->second;
                } else {
                    all = false;
                }
            }
            return all;
        });
        // A stop while waiting leaves the rest missing: the caller stops, keeping what this shard ran.
        for (std::size_t i = 0; i < runs.size(); ++i) {
            if (runs[i].state == SharedRun::State::missing) runs[i].state = SharedRun::State::stopped;
        }
    }

    void finish() override {
        JournalWriter(path_of(shard_.index), "", true).done();
        if (shard_.index != 0) return;
        wait_until("end of the search", [&] {
            for (std::size_t k = 1; k < count(); ++k) {
                if (!peers_[k].done()) return false;
            }
            return true;
        });
        throw_if_stop_requested("the plan");
    }

private:
    std::string path_of(std::size_t k) const {
        return journal_ + ".shard-" + std::to_string(k) + "-of-" + std::to_string(shard_.count);
    }

    /// Polls the other shards' journals until `arrived` holds or a stop is asked for.
    template <class Arrived> void wait_until(const char* what, Arrived arrived) {
        using clock = std::chrono::steady_clock;
        const auto started = clock::now();
        auto next_note = started + std::chrono::seconds(30);
        auto pause = std::chrono::milliseconds(2);
        std::string foreign; // a peer's journal that is not of this plan (yet)
        for (;;) {
            for (std::size_t k = 0; k < count(); ++k) {
                if (k == shard_.index) continue;
                try {
                    peers_[k].read_new();
                } catch (const Error& e) {
                    foreign = e.what(); // left over from another plan, until its shard starts it anew
                }
            }
            if (arrived() || stop_signal()) return;
            if (!quiet_ && clock::now() >= next_note) {
                const auto waited_s = std::chrono::duration_cast<std::chrono::seconds>(clock::now() - started).count();
                std::fprintf(stderr, "plan: %s has waited %llds for the other shards' %s (journals %s.shard-*); "
                                     "every shard must run at once%s%s\n",
                             name().c_str(), static_cast<long long>(waited_s), what, journal_.c_str(),
                             foreign.empty() ? "" : "; ", foreign.c_str());
                next_note += std::chrono::seconds(60);
            }
            foreign.clear();
            std::this_thread::sleep_for(pause);
            pause = std::min(pause * 2, std::chrono::milliseconds(500));
        }
    }

    run::Shard shard_;
    std::string journal_;
    bool quiet_;
    std::vector<JournalReader> peers_;
};

} // namespace

std::unique_ptr<RunSharing> alone() { return std::make_unique<Alone>(); }

std::unique_ptr<RunSharing> over_ranks(study::RankTransport& transport, std::size_t constraints) {
    if (transport.size() == 1) return alone();
    return std::make_unique<OverRanks>(transport, constraints);
}

std::unique_ptr<RunSharing> over_shard_journals(const run::Shard& shard, const std::string& journal,
                                                const std::string& fingerprint, std::size_t constraints, bool quiet) {
    if (shard.count == 1) return alone();
    return std::make_unique<OverShardJournals>(shard, journal, fingerprint, constraints, quiet);
}

} // namespace capsim::plan
