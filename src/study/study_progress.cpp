#include "capsim/study/study_progress.hpp"

#include <cmath>
#include <string>

namespace capsim::study {
namespace {

std::string duration_text(double seconds) {
    if (!std::isfinite(seconds)) return "?";
    const long s = std::lround(seconds);
    char text[32];
    if (s >= 3600) std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, s / 60 % 60);
    else if (s >= 60) std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
    else std::snprintf(text, sizeof text, "%lds", s);
    return text;
}

} // namespace

StudyProgress::StudyProgress(std::size_t total, std::FILE* out, bool terminal, double log_interval_s)
    : total_(total), out_(out), terminal_(terminal), log_interval_s_(log_interval_s) {}

void StudyProgress::finished(double jobs) {
    ++done_;
    jobs_ += jobs;
    const double now_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    // A terminal line is redrawn a few times a second; a log line at most every log interval.
    const double interval_s = terminal_ ? 0.25 : log_interval_s_;
    if (now_s - last_print_s_ >= interval_s || done_ == total_) {
        last_print_s_ = now_s;
        print();
    }
}

void StudyProgress::done() {
    if (!out_) return;
    if (terminal_) std::fputc('\n', out_);
    std::fflush(out_);
}

void StudyProgress::print() {
    if (!out_) return;
    const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double left_s = done_ > 0 ? elapsed_s / static_cast<double>(done_) * static_cast<double>(total_ - done_) : NAN;
    const double rate = elapsed_s > 0 ? jobs_ / elapsed_s : 0.0;
    std::fprintf(out_, "%scapsim: %zu/%zu runs, %.0f jobs/s, %s elapsed, about %s left%s", terminal_ ? "\r" : "",
                 done_, total_, rate, duration_text(elapsed_s).c_str(), duration_text(left_s).c_str(),
                 terminal_ ? "\033[K" : "\n");
    std::fflush(out_);
}

} // namespace capsim::study
