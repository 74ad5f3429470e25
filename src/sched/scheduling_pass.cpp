#include "capsim/sched/scheduling_pass.hpp"

#include <string>

#include "capsim/util/error.hpp"

namespace capsim::sched {
namespace {

/// The machine as the policy sees it during a pass: answers come from the model's machine, and a
/// start reaches it only once it has been checked.
class CheckedMachine final : public SchedulingMachine {
public:
    CheckedMachine(SchedulingMachine& machine, QueueWalk& walk, std::string_view policy,
                   std::vector<PendingJob>& starts, std::vector<PassReservation>& reservations)
        : machine_(machine), walk_(walk), policy_(policy), starts_(starts), reservations_(reservations) {}

    double now_s() const override { return machine_.now_s(); }
    bool is_full() const override { return machine_.is_full(); }
    StartBound start_bound() const override { return machine_.start_bound(); }

    bool can_start_now(const PendingJob& job) override {
        const bool yes = machine_.can_start_now(job);
        approved_ = yes ? job.job : no_job;
        return yes;
    }

    void start_now(const PendingJob& job) override {
        if (!walk_.mark_started(job.job)) fail(job, "that the queue did not offer, or twice in one pass");
        // The policy asked just before (the usual case), or the pass asks now.
        if (approved_ != job.job && !machine_.can_start_now(job)) {
            fail(job, "that the machine cannot hold now without delaying a reservation");
        }
        approved_ = no_job;
        machine_.start_now(job);
        starts_.push_back(job);
    }

    double reserve_earliest(const PendingJob& job) override {
        approved_ = no_job;
        const double start_s = machine_.reserve_earliest(job);
        reservations_.push_back({job.job, start_s});
        return start_s;
    }

private:
    static constexpr std::uint32_t no_job = UINT32_MAX;

    [[noreturn]] void fail(const PendingJob& job, const char* what) const {
        throw InternalError("scheduling policy " + std::string(policy_) + " started job " + std::to_string(job.job) +
                            " " + what);
    }

    SchedulingMachine& machine_;
    QueueWalk& walk_;
    std::string_view policy_;
    std::vector<PendingJob>& starts_;
    std::vector<PassReservation>& reservations_;
    std::uint32_t approved_ = no_job;
};

} // namespace

const std::vector<PendingJob>& SchedulingPass::run(const SchedulingPolicy& policy, const SchedulingQueue& queue,
                                                   SchedulingMachine& machine) {
    starts_.clear();
    reservations_.clear();
    if (walk_) walk_->restart(queue);
    else walk_.emplace(queue);
    CheckedMachine checked(machine, *walk_, policy.name(), starts_, reservations_);
    policy.select(*walk_, checked);
    return starts_;
}

} // namespace capsim::sched
