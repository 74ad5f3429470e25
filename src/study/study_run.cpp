#include "capsim/study/study_run.hpp"

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <filesystem>
#include <iterator>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "capsim/io/atomic_output.hpp"
#include "capsim/io/record_layout.hpp"
#include "capsim/io/run_parts.hpp"
#include "capsim/io/study_file.hpp"
#include "capsim/study/rank_transport.hpp"
#include "capsim/study/study_progress.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/stop_request.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::study {

using run::FinishedRun;
using run::RunRecord;
using run::WorkItem;
using run::WorkList;

namespace {

namespace fs = std::filesystem;

/// A finished run on its way from a simulating thread to the writer thread.
struct Handoff {
    FinishedRun run;
    std::shared_ptr<const RunRecord> schema; // the run's variables, without values
    bool failed = false;                     // the run threw or was skipped after another failed
};

/// Finished runs handed from the simulating threads to the one writer thread.
class HandoffQueue {
public:
    void push(Handoff handoff) {
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(std::move(handoff));
        }
        ready_.notify_one();
    }
    /// The next handoff, waiting at most `wait`; nullopt if none came.
    std::optional<Handoff> pop(std::chrono::milliseconds wait) {
        std::unique_lock lock(mutex_);
        if (!ready_.wait_for(lock, wait, [&] { return !queue_.empty(); })) return std::nullopt;
        Handoff h = std::move(queue_.front());
        queue_.pop_front();
        return h;
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Handoff> queue_;
};

/// Reads the variables of finished runs back from their parts.
class PartsSource final : public io::RunSource {
public:
    PartsSource(const io::PartsDirectory& parts, const RunRecord& schema) : parts_(parts) {
        std::size_t offset = 0;
        for (const auto& v : schema.variables) {
            offsets_.push_back(offset);
            counts_.push_back(io::value_count(schema.axes, v));
            first_axis_.push_back(v.axes.empty() ? 1 : schema.axes.length(v.axes.front()));
            offset += counts_.back();
        }
    }
    std::vector<double> read(WorkItem item, std::size_t variable, std::size_t first_row,
                             std::size_t rows) const override {
        // Rows along the first axis are contiguous in the flat values (row-major).
        const std::size_t row_values = counts_.at(variable) / std::max<std::size_t>(first_axis_.at(variable), 1);
        return parts_.read(item, offsets_.at(variable) + first_row * row_values, rows * row_values);
    }

private:
    const io::PartsDirectory& parts_;
    std::vector<std::size_t> offsets_, counts_, first_axis_;
};

/// Every run of a study must lay its variables along the same axes, or they cannot share a file.
void check_same_layout(const RunRecord& first, const RunRecord& other, const scenario::Study& study, WorkItem item) {
    auto names = [](const std::vector<std::string>& v) { return "[" + join(v, ", ") + "]"; };
    std::string difference;
    // The study gives every point the same GPU axis, and the loader checks the sites and tenants.
    if (first.axes.gpus != other.axes.gpus) {
        difference = "GPU types " + names(other.axes.gpus) + " instead of " + names(first.axes.gpus);
    } else if (!(first.axes == other.axes)) {
        difference = "other output axes (time steps, sites, tenants or job classes)";
    } else if (first.variables.size() != other.variables.size()) {
        difference = "other output variables";
    }
    if (difference.empty()) return;
    const std::string settings = join(study.point_settings.at(item.point), ", ");
    throw InputError("sweep point " + std::to_string(item.point) + " (" + settings + ") has " + difference +
                     " than the study's first point; every point of a sweep must share them. Run the points as "
                     "separate studies");
}

/// "1.5 TB", "820 MB": a size to read at a glance.
std::string bytes_text(double bytes) {
    const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    std::size_t u = 0;
    while (bytes >= 1000 && u + 1 < std::size(units)) {
        bytes /= 1000;
        ++u;
    }
    char text[32];
    std::snprintf(text, sizeof text, bytes < 10 ? "%.1f %s" : "%.0f %s", bytes, units[u]);
    return text;
}

/// Once the first run is kept, its part's size says what the rest will need: every run is kept as a
/// part until the results file is assembled. A study that cannot fit stops now, not days later on a
/// full disk.
void check_disk_space(const std::string& directory, double part_bytes, std::size_t runs_left) {
    std::error_code error;
    const fs::space_info space = fs::space(directory, error);
    if (error) return; // unknown: the write itself will say if the disk fills
    const double need = part_bytes * static_cast<double>(runs_left);
    const double free_bytes = static_cast<double>(space.available);
    if (need <= 0.9 * free_bytes) return;
    throw IoError("the study's other " + std::to_string(runs_left) + " runs need about " + bytes_text(need) + " in '" +
                  directory + "' (" + bytes_text(part_bytes) + " each, kept until the results file is assembled), but " +
                  bytes_text(free_bytes) + " are free there: free space, run fewer runs or points, choose a longer " +
                  "output timestep, or add --ignore-disk-space to start anyway");
}

} // namespace

std::string parts_directory_of(const std::string& output) { return output + ".parts"; }

StudyRunReport run_study(const scenario::Study& study, const StudyRunOptions& options, RankTransport& transport) {
    const auto started = std::chrono::steady_clock::now();
    const WorkList work(study.points.size(), static_cast<std::size_t>(study.replications));
    const bool root = transport.rank() == 0;
    const std::string fingerprint = run::study_fingerprint(study);
    const std::size_t first = options.shard ? options.shard->begin(work.size()) : 0;
    const std::size_t last = options.shard ? options.shard->end(work.size()) : work.size();

    StudyRunReport report;
    report.runs = last - first;
    report.ranks = transport.size();
    report.writer = root;

    // Rank 0 checks the output and what an earlier run left, then tells every rank what to run.
    std::unique_ptr<io::AtomicOutput> output;
    std::unique_ptr<io::PartsDirectory> parts;
    std::vector<std::size_t> todo, resumed;
    std::exception_ptr setup_error;
    if (root) {
        try {
            if (first == last) {
                throw Error(ExitCode::usage, "shard " + options.shard->text() + " holds no runs: the study has only " +
                                                 std::to_string(work.size()) + "; use at most that many shards");
            }
            output = std::make_unique<io::AtomicOutput>(options.output, options.force);
            const std::string directory = parts_directory_of(options.output);
            std::error_code error;
            const bool earlier = fs::exists(directory, error) && !fs::is_empty(directory, error);
            if (earlier && !options.resume) {
                if (!options.force) {
                    throw Error(ExitCode::usage, "'" + directory + "' holds finished runs of an earlier run of '" +
                                                     options.output + "'; add --resume to keep them or --force to discard them");
                }
                fs::remove_all(directory, error);
            }
            parts = std::make_unique<io::PartsDirectory>(directory, fingerprint);
            std::set<std::size_t> finished;
            for (const WorkItem& item : parts->finished()) {
                if (item.point < work.points() && item.replication < work.replications()) finished.insert(work.index(item));
            }
            for (std::size_t k = first; k < last; ++k) {
                if (finished.count(k)) resumed.push_back(k);
                else todo.push_back(k);
            }
            report.resumed = resumed.size();
        } catch (...) {
            setup_error = std::current_exception();
        }
    }
    if (!transport.broadcast(todo, setup_error == nullptr)) {
        if (setup_error) std::rethrow_exception(setup_error);
        report.writer = false; // rank 0 reports why
        return report;
    }

    // Rank k simulates every size-th run of the list, from the k-th.
    std::vector<std::size_t> mine;
    for (std::size_t i = transport.rank(); i < todo.size(); i += transport.size()) mine.push_back(todo[i]);
    const std::size_t remote = root ? todo.size() - mine.size() : 0;
    report.threads = options.threads > 0 ? options.threads : omp_get_max_threads();

    HandoffQueue queue;
    std::atomic<bool> stop{false};
    std::mutex error_mutex;
    std::exception_ptr run_error;
    // An error stops the study and discards what is in flight; a stop signal only ends the runs in
    // progress, and every run finished before it is kept for --resume.
    auto fail = [&](std::exception_ptr e) {
        std::lock_guard lock(error_mutex);
        if (!run_error) run_error = e;
        try {
            std::rethrow_exception(e);
        } catch (const Interrupted&) {
        } catch (...) {
            stop = true;
        }
    };
    // Rank 0 writes each finished run into the results file as it arrives, so that compressing the
    // values overlaps the simulation; the statistics follow once every run is in.
    io::StudyFileOptions file_options;
    const scenario::ReplicationOutput mode = study.base().replication_output;
    file_options.shard = options.shard;
    // A shard keeps every replication's values, which the merge needs for the statistics.
    file_options.raw_series = options.shard || mode != scenario::ReplicationOutput::stats;
    file_options.statistics = !options.shard && mode != scenario::ReplicationOutput::raw;
    const io::StudyHeader header = io::study_header(study);
    RunRecord layout; // the schema of the file, once a first run or part gives it
    std::unique_ptr<io::StudyFileBuilder> builder;
    auto start_file = [&](const RunRecord& schema_found) {
        layout = schema_found;
        builder = std::make_unique<io::StudyFileBuilder>(output->temp_path(), header, layout, file_options);
    };

    StudyProgress progress(root ? todo.size() : 0, root && !options.quiet ? stderr : nullptr, isatty(STDERR_FILENO) == 1);
    std::shared_ptr<const RunRecord> schema;

    // The one writer: on rank 0 it keeps every finished run as a part; elsewhere it sends runs to rank 0.
    std::thread writer([&] {
        std::size_t local_left = mine.size(), remote_left = remote;
        std::vector<FinishedRun> early; // runs from other ranks that came before the first schema
        bool space_checked = options.ignore_disk_space;
        auto keep = [&](const FinishedRun& run) {
            parts->write(*schema, run); // from here on the run is kept, whatever befalls the file
            ++report.simulated;
            report.jobs += run.jobs;
            progress.finished(run.jobs);
            if (!space_checked) {
                space_checked = true;
                std::error_code error;
                const auto part_bytes = fs::file_size(parts->part_path(run.item), error);
                if (!error) check_disk_space(parts->path(), static_cast<double>(part_bytes), todo.size() - 1);
            }
            if (!builder) start_file(*schema);
            builder->add_run(run.item, run.values);
        };
        try {
            while (local_left + remote_left > 0) {
                if (std::optional<Handoff> h = queue.pop(std::chrono::milliseconds(remote_left > 0 ? 2 : 200))) {
                    --local_left;
                    if (h->failed || stop) continue;
                    if (!root) {
                        transport.send(h->run);
                        continue;
                    }
                    if (!schema) schema = h->schema;
                    check_same_layout(*schema, *h->schema, study, h->run.item);
                    keep(h->run);
                    for (const auto& run : early) keep(run);
                    early.clear();
                    continue;
                }
                if (remote_left > 0) {
                    while (std::optional<FinishedRun> run = transport.poll()) {
                        --remote_left;
                        if (stop) continue;
                        if (schema) keep(*run);
                        else early.push_back(std::move(*run));
                    }
                }
            }
            // Rank 0 runs the first run of the list, so a schema comes before the loop ends.
            if (!early.empty() && !stop) throw InternalError("rank 0 received runs but has no schema for them");
        } catch (...) {
            fail(std::current_exception());
        }
    });

    const auto count = static_cast<std::ptrdiff_t>(mine.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(report.threads)
    for (std::ptrdiff_t i = 0; i < count; ++i) {
        Handoff h;
        h.failed = stop;
        if (!h.failed) {
            try {
                // A signal that comes between two runs must stop the study as one during a run does.
                throw_if_stop_requested("the study");
                auto record = std::make_shared<RunRecord>();
                h.run = run::simulate_work_item(study, work.item(mine[static_cast<std::size_t>(i)]), record.get());
                h.schema = std::move(record);
            } catch (...) {
                fail(std::current_exception());
                h.failed = true;
            }
        }
        queue.push(std::move(h));
    }
    writer.join();
    progress.done();
    // Counted, not listed: a part being renamed into place must not turn the stop into an error.
    auto kept_runs = [&] {
        return std::to_string(report.simulated + report.resumed) + " of " + std::to_string(work.size()) +
               " runs are kept in '" + parts_directory_of(options.output) + "': run the same command with --resume";
    };
    if (run_error && root && parts) {
        try {
            std::rethrow_exception(run_error);
        } catch (const Interrupted& e) {
            throw Interrupted(e.signal(), "the study stopped by " + signal_name(e.signal()) + "; " + kept_runs() + " to go on");
        } catch (const IoError& e) {
            // A full disk or a file size limit: what was finished is not lost.
            if (transport.size() == 1) throw IoError(std::string(e.what()) + "; " + kept_runs() + " once there is room");
        } catch (...) {
        }
    }
    if (run_error) {
        if (transport.size() > 1) {
            try {
                std::rethrow_exception(run_error);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "capsim: error (rank %zu): %s\n", transport.rank(), e.what());
            }
            transport.abort(static_cast<int>(ExitCode::internal));
        }
        std::rethrow_exception(run_error);
    }
    report.simulate_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!root) return report;

    // The runs kept from an earlier run go in now; then the statistics, from the parts.
    const auto assembling = std::chrono::steady_clock::now();
    try {
        if (!builder) start_file(parts->schema(work.item(first)));
        std::size_t run_values = 0;
        for (const auto& v : layout.variables) run_values += io::value_count(layout.axes, v);
        for (std::size_t k : resumed) builder->add_run(work.item(k), parts->read(work.item(k), 0, run_values));
        std::vector<WorkItem> items;
        for (std::size_t k = first; k < last; ++k) items.push_back(work.item(k));
        const PartsSource source(*parts, layout);
        builder->finish(items, source, true, report.simulate_s);
        builder.reset();
        output->commit();
    } catch (const IoError& e) {
        builder.reset();
        throw IoError(std::string(e.what()) + "; " + kept_runs() + " once there is room");
    }
    parts->remove();
    report.write_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - assembling).count();
    return report;
}

} // namespace capsim::study
