#pragma once
/// The progress of a study run on stderr: on a terminal, one line rewritten in place (runs done,
/// jobs per second, time left); in a batch log, a plain line at most every `log_interval_s`.

#include <chrono>
#include <cstddef>
#include <cstdio>

namespace capsim::study {

class StudyProgress {
public:
    /// `total` runs to simulate in this process (rank 0: all ranks'). `out` null: silent (--quiet).
    StudyProgress(std::size_t total, std::FILE* out, bool terminal, double log_interval_s = 10);
    /// One more run finished, with `jobs` jobs.
    void finished(double jobs);
    /// Ends the line (on a terminal) and prints the last state.
    void done();

private:
    void print();

    std::size_t total_;
    std::FILE* out_;
    bool terminal_;
    double log_interval_s_;
    std::size_t done_ = 0;
    double jobs_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    double last_print_s_ = -1e300;
};

} // namespace capsim::study
