#include "capsim/util/stop_request.hpp"

#include <atomic>
#include <csignal>

namespace capsim {
namespace {

std::atomic<int> requested{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler stores into it");

extern "C" void on_stop_signal(int signal) {
    requested.store(signal, std::memory_order_relaxed);
    std::signal(signal == SIGINT ? SIGTERM : SIGINT, SIG_DFL); // the next one of either kind ends it
    std::signal(signal, SIG_DFL);
}

} // namespace

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

int stop_signal() noexcept { return requested.load(std::memory_order_relaxed); }

void request_stop_for_testing(int signal) noexcept { requested.store(signal, std::memory_order_relaxed); }

Interrupted::Interrupted(int signal, const std::string& message)
    : Error(static_cast<ExitCode>(128 + signal), message), signal_(signal) {}

void throw_if_stop_requested(const char* what) {
    if (const int signal = stop_signal()) throw Interrupted(signal, std::string(what) + " stopped by " + signal_name(signal));
}

std::string signal_name(int signal) {
    if (signal == SIGINT) return "SIGINT";
    if (signal == SIGTERM) return "SIGTERM";
    return "signal " + std::to_string(signal);
}

} // namespace capsim
