#pragma once
/// Runs a study: its (point, replication) work list, or one shard of it, in parallel on OpenMP
/// threads (and MPI ranks), with one writer that keeps each finished run in a parts directory (for
/// --resume) and writes it into the results file, whose statistics it adds once every run is in.
/// Same scenario and seed, same datasets, whatever the threads, ranks, shards or the order runs
/// finish in.

#include <cstddef>
#include <optional>
#include <string>

#include "capsim/run/study_work.hpp"
#include "capsim/scenario/study.hpp"

namespace capsim::study {

class RankTransport;

struct StudyRunOptions {
    std::string output;          // the results file (HDF5)
    bool force = false;          // overwrite it, and discard finished runs of an earlier run
    bool resume = false;         // keep the finished runs of an earlier, interrupted run
    int threads = 0;             // 0: every core (OpenMP's default)
    std::optional<run::Shard> shard;  // run only this slice and write a shard file for `capsim merge`
    bool quiet = false;          // no progress line
    bool ignore_disk_space = false; // start even if the finished runs would not fit on the disk
};

struct StudyRunReport {
    std::size_t runs = 0;        // in this file (the shard's slice, or the whole work list)
    std::size_t simulated = 0;   // simulated now, by every rank
    std::size_t resumed = 0;     // kept from an earlier run
    int threads = 1;
    std::size_t ranks = 1;
    double jobs = 0;             // simulated now
    double simulate_s = 0;       // wall time until the last run finished
    double write_s = 0;          // assembling the results file
    bool writer = true;          // false on MPI ranks other than 0, which write nothing
};

StudyRunReport run_study(const scenario::Study& study, const StudyRunOptions& options, RankTransport& transport);

/// The directory where a run of `output` keeps its finished runs until the file is assembled.
std::string parts_directory_of(const std::string& output);

} // namespace capsim::study
