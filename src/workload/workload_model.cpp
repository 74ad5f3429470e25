#include "capsim/workload/workload_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>
#include <vector>

#include "capsim/cluster/cluster_machine.hpp"
#include "capsim/cluster/gpu_cluster.hpp"
#include "capsim/sched/fair_share.hpp"
#include "capsim/sched/policy_registry.hpp"
#include "capsim/sched/scheduling_pass.hpp"
#include "capsim/util/calendar.hpp"
#include "capsim/util/error.hpp"
#include "capsim/workload/checkpointing.hpp"
#include "capsim/workload/gpu_power_load.hpp"
#include "capsim/workload/job_sources.hpp"
#include "capsim/workload/job_table.hpp"
#include "capsim/workload/node_failures.hpp"
#include "capsim/workload/preemption.hpp"
#include "capsim/workload/repair_activity.hpp"
#include "capsim/workload/run_time.hpp"
#include "capsim/workload/tenant_activity.hpp"

namespace capsim::workload {

const char* to_string(Rejection reason) {
    switch (reason) {
    case Rejection::none: return "none";
    case Rejection::no_matching_gpus: return "no GPUs of the allowed sites and types in the build-out";
    case Rejection::too_large: return "more GPUs than the allowed pools will ever have";
    case Rejection::over_max_walltime: return "longer than the scheduler's max_walltime";
    }
    return "unknown";
}

namespace {

enum EventKind : std::uint32_t {
    job_end,                   // subject: job | epoch << 32
    job_arrival,               // subject: workload (JobSources)
    node_failure,              // subject: node | failure process << 32
    trace_failure,             // subject: failure process (its next row)
    node_repair,               // subject: node | repair epoch << 32
};
// At one instant: ends come first (before arrivals look for GPUs, before a failure stops a job that
// has just finished, and before the infrastructure darkens or retires the nodes a job finished on);
// failures and repairs before arrivals, which then see the nodes as they are.
constexpr std::int32_t end_priority = -1;
constexpr std::int32_t failure_priority = 0;
constexpr std::int32_t arrival_priority = 1;

/// Why a running job stops before its end.
enum class Stop { preemption, node_dark, failure };

constexpr std::uint32_t no_pool = std::numeric_limits<std::uint32_t>::max();

/// A job while it is simulated; its row of the job table is kept in the result.
struct LiveJob {
    std::uint32_t workload = 0;
    double amount = 0;         // FLOP, GPU-hours or seconds, as the workload's work kind says
    double estimate_factor = 1;
    double fixed_end_s = -1;   // reservations end at a fixed instant
    double first_pool_estimate_s = 0; // on the first allowed pool: what queue orders and policies see
    double estimated_end_s = 0; // while running: when the scheduler expects it to end
    std::uint32_t pool = no_pool;
    std::uint32_t epoch = 0;   // bumped when stopped, so a stale end event is ignored
    cluster::Allocation allocation;
    // Progress, for workloads with checkpoints: the fraction of the work saved so far, and the run now.
    double done_fraction = 0;
    double run_work_s = 0;     // compute the current run does (the work left, on its pool)
    bool resuming = false;     // the current run resumes from a checkpoint (and paid the restart)
    CheckpointPlan plan;       // of the current run
};

} // namespace

class WorkloadModel::Impl final : public cluster::JobDemands {
public:
    Impl(const infra::InfrastructureSpec& infrastructure, const DemandSpec& demand, WorkloadResult& result,
         std::vector<std::string> gpu_types, StreamId replication, const engine::Model& self)
        : self_(self), infrastructure_(infrastructure), demand_(demand), r_(result), gpu_types_(std::move(gpu_types)),
          policy_(sched::make_policy(demand.scheduler.policy)), machine_(cluster_, *this),
          sources_(demand, infrastructure.start_s, infrastructure.end_s, replication), table_(result),
          queue_(demand.scheduler.order, demand.tenants.size()),
          power_load_(infrastructure.buildout.size(), infrastructure.power_curve),
          fair_share_(shares_of(demand), demand.scheduler.fairshare_halflife_s), activity_(demand.tenants.size()),
          repairs_(infrastructure.sites.size()) {
        build_pools();
        if (!demand_.failures.empty()) build_failures(replication);
        const std::size_t tenants = demand_.tenants.size();
        for (const auto& t : demand_.tenants) {
            r_.tenants.push_back(t.name);
            r_.entitled_share.push_back(t.share);
        }
        r_.delivered_gpu_hours_total.assign(tenants, 0.0);
        years_ = calendar_years(infrastructure_.start_s, infrastructure_.end_s);
        r_.delivered_gpu_hours_by_year.assign(years_.size() * tenants, 0.0);
        for (std::size_t w = 0; w < demand_.workloads.size(); ++w) {
            const WorkloadSpec& spec = demand_.workloads[w];
            r_.workloads.push_back(spec.name);
            r_.workload_tenant.push_back(static_cast<std::uint32_t>(spec.tenant));
            r_.workload_class.push_back(static_cast<std::uint8_t>(spec.job_class));
            workload_pools_.push_back(allowed_pools(spec));
        }
        running_by_pool_.resize(cluster_.pool_count());
        now_s_ = infrastructure_.start_s;
        step_start_s_ = infrastructure_.start_s;
    }

    // ---- JobDemands ----
    int gpus(std::uint32_t job) const override { return row(job).gpus; }
    std::span<const std::uint32_t> pools(std::uint32_t job) const override {
        if (!short_pools_.empty()) {
            if (const auto own = short_pools_.find(job); own != short_pools_.end()) return own->second;
        }
        return workload_pools_[live(job).workload];
    }
    double estimate_s(std::uint32_t job, std::uint32_t pool) const override {
        const LiveJob& j = live(job);
        if (j.fixed_end_s >= 0) return std::max(j.fixed_end_s - now_s_, 1.0);
        if (!demand_.workloads[j.workload].checkpoint) return run_s(job, pool) * j.estimate_factor;
        return run_wall_s(plan_of(job, pool), work_left_s(job, pool), resumes(job)) * j.estimate_factor;
    }
    const cluster::Allocation& allocation(std::uint32_t running_job) const override {
        return live(running_job).allocation;
    }

    void start(engine::Engine& engine) {
        sources_.start(engine, self_, job_arrival, arrival_priority);
        if (!failures_) return;
        for (std::size_t p = 0; p < failures_->process_count(); ++p) {
            if (failures_->from_trace(p)) {
                schedule_trace_failure(engine, p);
                continue;
            }
            for (const std::uint32_t node : failures_->nodes_of(p)) {
                schedule_failure(engine, p, node, failures_->next_failure_s(p, node, infrastructure_.start_s));
            }
        }
    }

    void handle(const engine::Event& event, engine::Engine& engine) {
        switch (event.kind) {
        case job_end: end_job(static_cast<std::uint32_t>(event.subject & 0xffffffffu),
                              static_cast<std::uint32_t>(event.subject >> 32));
            break;
        case job_arrival: {
            const auto w = static_cast<std::size_t>(event.subject);
            const SourcedJob job = sources_.take(w);
            submit(engine, w, job.gpus, job.amount, job.estimate_factor, job.fixed_end_s);
            sources_.schedule_next(engine, w, event.time_s);
            break;
        }
        case node_failure: {
            const auto node = static_cast<std::uint32_t>(event.subject & 0xffffffffu);
            const auto process = static_cast<std::size_t>(event.subject >> 32);
            const double repair_s = failures_->repair_s(process, node);
            outage(engine, node, repair_s);
            // The process's clock restarts when the node is back from this failure's repair.
            schedule_failure(engine, process, node, failures_->next_failure_s(process, node, now_s_ + repair_s));
            break;
        }
        case trace_failure: {
            const auto process = static_cast<std::size_t>(event.subject);
            const NodeFailures::Outage& row = failures_->outages(process)[trace_next_[process]++];
            outage(engine, row.node, row.duration_s);
            schedule_trace_failure(engine, process);
            break;
        }
        case node_repair: {
            const auto node = static_cast<std::uint32_t>(event.subject & 0xffffffffu);
            if (static_cast<std::uint32_t>(event.subject >> 32) != repair_epoch_[node]) break; // extended since
            cluster_.repair(node);
            const cluster::Pool& pool = cluster_.pool(cluster_.pool_of_node(node));
            repairs_.repaired(pool.site, pool.gpus_per_node);
            load_changed_ = true; // a powered node draws again
            break;
        }
        default: throw InternalError("workload model: unknown event kind");
        }
    }

    void integrate_until(double t) {
        const double dt = t - now_s_;
        if (dt <= 0) return;
        // Busy GPUs are constant between events, which is where usage is integrated.
        if (demand_.scheduler.order == SchedulerSpec::Order::fairshare) fair_share_.advance(dt, activity_.busy_gpus());
        activity_.integrate(dt);
        repairs_.integrate(dt);
        deliver_by_year(now_s_, t);
        now_s_ = t;
    }

    /// Adds the busy GPU time of [from_s, to_s) to the calendar years it falls in, split exactly at
    /// 1 January.
    void deliver_by_year(double from_s, double to_s) {
        const std::size_t tenants = demand_.tenants.size();
        while (from_s < to_s && year_ < years_.size()) {
            const double until_s = std::min(to_s, years_[year_].to_s);
            const double hours = (until_s - from_s) / 3600.0;
            const auto& busy = activity_.busy_gpus();
            for (std::size_t k = 0; k < tenants; ++k) {
                r_.delivered_gpu_hours_by_year[year_ * tenants + k] += static_cast<double>(busy[k]) * hours;
            }
            if (until_s < years_[year_].to_s) break;
            ++year_;
            from_s = until_s;
        }
    }

    void close_step(double t) {
        activity_.close_step(t - step_start_s_, r_);
        repairs_.close_step(t - step_start_s_, r_);
        step_start_s_ = t;
    }

    /// Hands the remaining rows (running and queued jobs included) to the sink and the observer.
    void finish() { table_.finish(); }

    std::uint64_t jobs_simulated() const { return table_.size(); }

    void set_sink(JobSink* sink) { table_.set_sink(sink); }
    void set_observer(JobObserver* observer) { table_.set_observer(observer); }

    void schedule_pass(engine::Engine& engine) {
        if (queued_total_ == 0) return;
        // Preemption stops only batch jobs, which go back to the other segments: the priority
        // segment does not change while it is walked.
        const sched::JobQueue& priority = queue_.priority_segment();
        // Per pool, the GPUs that urgent jobs earlier in the queue take in this pass: a later one
        // must not count them free, or it waits behind GPUs that are already spoken for.
        if (priority.next(nullptr)) claimed_gpus_.assign(cluster_.pool_count(), 0);
        for (const sched::QueueEntry* e = priority.next(nullptr); e; e = priority.next(&e->key)) {
            if (may_preempt(e->job)) preempt_for(e->job);
        }
        machine_.begin_pass(engine.now_s(), running_by_pool_);
        if (machine_.is_full()) return;
        if (demand_.scheduler.order == SchedulerSpec::Order::fairshare) queue_.order_tenants(fair_share_.factors());
        const auto& starts = pass_.run(*policy_, queue_, machine_);
        if (starts.size() != machine_.starts().size()) throw InternalError("workload model: starts and placements disagree");
        for (const auto& start : machine_.starts()) start_job(engine, start.job, start.allocation);
    }

    /// After every event: a scheduling pass, the infrastructure told of the new load, and the rows
    /// that became final handed on.
    void after_event(engine::Engine& engine) {
        schedule_pass(engine);
        // The sites' power is a function of the load: recompute it only when a job started or stopped.
        if (power_ && load_changed_) power_->gpu_load_changed();
        load_changed_ = false;
        table_.hand_on_final_rows();
    }
    void drive_power_of(infra::InfrastructureSimulation* infra) { power_ = infra; }

    /// Jobs on nodes that went dark stop at once, so that the power the infrastructure computes next
    /// never counts them.
    /// Checks the invariants tests rely on; throws InternalError on the first that fails.
    void check_invariants() const {
        cluster_.check_consistency();
        std::int64_t busy = 0;
        for (std::uint32_t p = 0; p < cluster_.pool_count(); ++p) busy += cluster_.pool(p).busy_gpus;
        if (busy != activity_.busy_gpus_total()) throw InternalError("workload model: busy GPUs by pool and by tenant disagree");
        if (queue_.size() != queued_total_) throw InternalError("workload model: queue counts disagree");
        std::size_t running = 0;
        for (const auto& r : running_by_pool_) {
            for (const auto& entry : r.jobs()) {
                const LiveJob& j = live(entry.job);
                if (row(entry.job).state != JobState::running || j.allocation.nodes.empty()) {
                    throw InternalError("workload model: a running job without an allocation");
                }
                if (j.allocation.gpus() < row(entry.job).gpus) {
                    throw InternalError("workload model: a job holds fewer GPUs than it asked for");
                }
                for (const auto& [node, gpus] : j.allocation.nodes) {
                    if (cluster_.is_failed(node)) throw InternalError("workload model: a job runs on a failed node");
                }
            }
            running += r.size();
        }
        if (static_cast<std::int64_t>(running) != activity_.running_jobs_total()) {
            throw InternalError("workload model: running job counts disagree");
        }
    }

    void powered_nodes_changed(std::size_t order, std::int64_t powered) {
        for (const std::uint32_t job : cluster_.set_powered(order, powered)) {
            if (row(job).state == JobState::running) interrupt(job, Stop::node_dark);
        }
    }

    double busy_power_above_idle_w(std::size_t order) const { return power_load_.above_idle_w(order); }
    std::int64_t failed_powered_nodes(std::size_t order) const { return cluster_.failed_powered_nodes(order); }

private:
    static std::vector<double> shares_of(const DemandSpec& s) {
        std::vector<double> shares;
        for (const auto& t : s.tenants) shares.push_back(t.share);
        return shares;
    }

    void build_pools() {
        // One pool per site and node type, in build-out order; orders map onto them.
        for (const auto& o : infrastructure_.buildout) {
            const auto* node = infrastructure_.catalog.find_node(o.node);
            const auto* gpu = infrastructure_.catalog.find_gpu(node->gpu);
            std::uint32_t pool = no_pool;
            for (std::uint32_t p = 0; p < cluster_.pool_count(); ++p) {
                if (cluster_.pool(p).site == o.site && cluster_.pool(p).node_type == o.node) pool = p;
            }
            if (pool == no_pool) {
                cluster::Pool spec;
                spec.site = o.site;
                spec.node_type = o.node;
                spec.gpu = gpu->name;
                spec.gpus_per_node = node->gpus;
                spec.peak_flops_per_gpu = gpu->peak_bf16_flops;
                spec.generation = infra::generation(*gpu);
                pool = cluster_.add_pool(spec);
                pool_gpu_type_.push_back(static_cast<std::int32_t>(
                    std::find(gpu_types_.begin(), gpu_types_.end(), gpu->name) - gpu_types_.begin()));
                power_load_.add_pool(gpu->idle_w, gpu->tdp_w);
            }
            // Orders enter the cluster in build-out order, so its order indices are the scenario's.
            cluster_.add_order(pool, o.count, o.spare_nodes);
        }
        for (std::uint32_t p = 0; p < cluster_.pool_count(); ++p) {
            const cluster::Pool& pool = cluster_.pool(p);
            largest_job_gpus_.push_back(infra::most_nodes_in_service(infrastructure_.buildout, pool.site, pool.node_type,
                                                                     infrastructure_.start_s, infrastructure_.end_s) *
                                        pool.gpus_per_node);
        }
    }

    /// The pools a workload may use, newest generation first, then site order.
    std::vector<std::uint32_t> allowed_pools(const WorkloadSpec& spec) const {
        std::vector<std::uint32_t> out;
        for (std::uint32_t p = 0; p < cluster_.pool_count(); ++p) {
            const cluster::Pool& pool = cluster_.pool(p);
            if (spec.may_use(pool.site, pool.gpu)) out.push_back(p);
        }
        std::stable_sort(out.begin(), out.end(), [&](std::uint32_t a, std::uint32_t b) {
            const auto& pa = cluster_.pool(a);
            const auto& pb = cluster_.pool(b);
            return pa.generation != pb.generation ? pa.generation > pb.generation : pa.site < pb.site;
        });
        return out;
    }

    /// The true run time of a job on a pool's GPU type.
    double run_s(std::uint32_t job, std::uint32_t pool) const {
        const LiveJob& j = live(job);
        return run_time_s(demand_.workloads[j.workload], j.amount, row(job).gpus, cluster_.pool(pool).peak_flops_per_gpu);
    }

    void submit(engine::Engine& engine, std::size_t w, int g, double amount, double factor, double fixed_end_s) {
        const WorkloadSpec& spec = demand_.workloads[w];
        JobRecord record;
        record.tenant = static_cast<std::uint32_t>(spec.tenant);
        record.workload = static_cast<std::uint32_t>(w);
        record.job_class = static_cast<std::uint8_t>(spec.job_class);
        record.gpus = g;
        record.submit_s = engine.now_s();
        LiveJob state;
        state.workload = static_cast<std::uint32_t>(w);
        state.amount = amount;
        state.estimate_factor = factor;
        state.fixed_end_s = fixed_end_s;
        const std::uint32_t job = table_.add(record, std::move(state));
        if (!workload_pools_[w].empty()) live(job).first_pool_estimate_s = estimate_s(job, workload_pools_[w].front());
        row(job).demand_gpu_hours = demand_gpu_hours(job, likely_pool(w));
        activity_.submitted(record.tenant);

        const Rejection reason = admission(job);
        if (reason != Rejection::none) {
            row(job).state = JobState::rejected;
            row(job).rejection = reason;
            return;
        }
        if (fixed_end_s < 0) keep_within_max_walltime(job);
        enqueue(job);
    }

    /// A batch job runs only where its requested time is within max_walltime: a job admitted for a
    /// fast pool must not start on a slower one where it would run past the limit. Where that leaves
    /// out some of its workload's pools, the job gets a list of its own (before it is queued, since
    /// its queue key holds the estimate on its first pool).
    void keep_within_max_walltime(std::uint32_t job) {
        if (!std::isfinite(demand_.scheduler.max_walltime_s)) return;
        const auto& allowed = workload_pools_[live(job).workload];
        std::vector<std::uint32_t> short_enough;
        for (const std::uint32_t p : allowed) {
            if (within_max_walltime(job, p)) short_enough.push_back(p);
        }
        if (short_enough.size() == allowed.size()) return;
        live(job).first_pool_estimate_s = estimate_s(job, short_enough.front());
        short_pools_.emplace(job, std::move(short_enough));
    }

    /// Whether the job's requested time on the pool is within max_walltime (reservations always are).
    bool within_max_walltime(std::uint32_t job, std::uint32_t pool) const {
        return live(job).fixed_end_s >= 0 || estimate_s(job, pool) <= demand_.scheduler.max_walltime_s;
    }

    /// Urgent jobs (in preempt mode) and inference reservations take their GPUs from lower-priority
    /// batch work when they cannot start otherwise; tried at every pass while they wait, since the GPUs
    /// they need may only come into service later.
    bool may_preempt(std::uint32_t job) const {
        const auto c = static_cast<JobClass>(row(job).job_class);
        const bool reservation = live(job).fixed_end_s >= 0;
        return reservation || (c == JobClass::urgent && demand_.scheduler.urgent == SchedulerSpec::Urgent::preempt);
    }

    /// Where a job of the workload would most likely run, as far as is known at its submission: the
    /// first pool it may use (newest generation first) that has GPUs powered, else its first choice;
    /// -1 when it may use none.
    std::int64_t likely_pool(std::size_t workload) const {
        const auto& allowed = workload_pools_[workload];
        if (allowed.empty()) return -1;
        for (const std::uint32_t p : allowed) {
            if (cluster_.pool(p).powered_gpus > 0) return p;
        }
        return allowed.front();
    }

    /// What the job asks for within the horizon (JobRecord::demand_gpu_hours) if it runs in `pool`:
    /// its GPUs for its true run time there, as though it started at its submission.
    double demand_gpu_hours(std::uint32_t job, std::int64_t pool) const {
        if (pool < 0) return std::numeric_limits<double>::quiet_NaN();
        const double submit_s = row(job).submit_s;
        const double end_s = live(job).fixed_end_s >= 0 ? live(job).fixed_end_s
                                                        : submit_s + run_s(job, static_cast<std::uint32_t>(pool));
        return row(job).gpus * std::max(0.0, std::min(end_s, infrastructure_.end_s) - submit_s) / 3600.0;
    }

    Rejection admission(std::uint32_t job) const {
        const auto& allowed = workload_pools_[live(job).workload];
        if (allowed.empty()) return Rejection::no_matching_gpus;
        const int g = row(job).gpus;
        bool fits_somewhere = false, short_enough = false;
        for (const std::uint32_t p : allowed) {
            if (cluster_.footprint(p, g) > largest_job_gpus_[p]) continue;
            fits_somewhere = true;
            // A reservation holds its GPUs for its whole period: max_walltime is for batch jobs.
            if (within_max_walltime(job, p)) short_enough = true;
        }
        if (!fits_somewhere) return Rejection::too_large;
        if (!short_enough) return Rejection::over_max_walltime;
        return Rejection::none;
    }

    // ---- queues ----

    /// Urgent jobs and reservations first, by class then submit time; the others by the scheduler's order.
    bool is_priority(std::uint32_t job) const {
        return static_cast<JobClass>(row(job).job_class) == JobClass::urgent || live(job).fixed_end_s >= 0;
    }

    /// Where the job stands: urgent jobs and reservations by class then submit time, the others by
    /// the scheduler's order (under fair share, by submit time within the tenant's queue).
    sched::QueueEntry entry_of(std::uint32_t job) const {
        const JobRecord& r = row(job);
        const sched::QueueOrder order = is_priority(job) ? sched::QueueOrder::priority : demand_.scheduler.order;
        const double estimate_s = live(job).first_pool_estimate_s;
        return {sched::queue_key(order, r.submit_s, estimate_s, r.job_class, job), job, r.gpus, estimate_s};
    }

    void enqueue(std::uint32_t job) {
        JobRecord& r = row(job);
        r.state = JobState::queued;
        queue_.push(entry_of(job), r.tenant, is_priority(job));
        ++queued_total_;
        activity_.queued(r.tenant, r.gpus);
    }

    // ---- running jobs ----

    void start_job(engine::Engine& engine, std::uint32_t job, const cluster::Allocation& allocation) {
        JobRecord& r = row(job);
        LiveJob& j = live(job);
        const std::uint32_t pool = allocation.pool;
        j.pool = pool;
        j.allocation = allocation;
        r.state = JobState::running;
        if (r.first_start_s < 0) r.first_start_s = engine.now_s();
        r.site = static_cast<std::int32_t>(cluster_.pool(pool).site);
        r.gpu_type = pool_gpu_type_[pool];
        r.demand_gpu_hours = demand_gpu_hours(job, pool); // on the GPU type it runs on, as the delivery
        queue_.erase(entry_of(job).key, r.tenant, is_priority(job));
        --queued_total_;
        activity_.left_queue(r.tenant, r.gpus);
        activity_.started(r.tenant, cluster_.footprint(pool, r.gpus));
        add_load(job, +1);
        launch(engine, job);
    }

    /// Starts a run of the job where its allocation is, now: what it computes and checkpoints, when
    /// the scheduler expects it to end and when it ends.
    void launch(engine::Engine& engine, std::uint32_t job) {
        JobRecord& r = row(job);
        LiveJob& j = live(job);
        const double now = engine.now_s();
        j.resuming = resumes(job);
        j.plan = plan_of(job, j.pool);
        j.run_work_s = j.fixed_end_s >= 0 ? 0.0 : work_left_s(job, j.pool);
        const double run = j.fixed_end_s >= 0 ? std::max(j.fixed_end_s - now, 0.0) : run_wall_s(j.plan, j.run_work_s, j.resuming);
        r.start_s = now;
        r.run_s = run;
        j.estimated_end_s = now + estimate_s(job, j.pool);
        running_by_pool_[j.pool].add({job, cluster_.footprint(j.pool, r.gpus), j.estimated_end_s});
        engine.schedule(self_, now + run, end_priority, job_end, job | (static_cast<std::uint64_t>(j.epoch) << 32));
    }

    /// Adds (sign +1) or removes (-1) a running job's power above idle on the orders its nodes belong to.
    void add_load(std::uint32_t job, int sign) {
        const LiveJob& j = live(job);
        power_load_.change(j.allocation, demand_.workloads[j.workload].load, sign, cluster_);
        load_changed_ = true;
    }

    /// Takes a job off its nodes; `completed` or stopped (preempted, or its nodes went dark).
    void stop_running(std::uint32_t job) {
        JobRecord& r = row(job);
        LiveJob& j = live(job);
        add_load(job, -1);
        cluster_.release(j.allocation, job);
        running_by_pool_[j.pool].remove(job, j.estimated_end_s);
        activity_.stopped(r.tenant, cluster_.footprint(j.pool, r.gpus));
        j.allocation.nodes.clear();
        j.allocation.nodes.shrink_to_fit();
    }

    void end_job(std::uint32_t job, std::uint32_t epoch) {
        // A stale end of an earlier run (the job was stopped, and may have finished since, even sooner
        // on a faster pool, and left memory).
        if (table_.gone(job)) return;
        if (live(job).epoch != epoch || row(job).state != JobState::running) return;
        const LiveJob& j = live(job);
        JobRecord& r = row(job);
        // The whole run was productive but its restart and checkpoints (a reservation: all of it).
        const double productive_s = j.fixed_end_s >= 0 ? r.run_s : j.run_work_s;
        r.productive_s += productive_s;
        r.lost_gpu_hours += (r.run_s - productive_s) * r.gpus / 3600.0;
        stop_running(job);
        r.state = JobState::completed;
        r.end_s = now_s_;
        if (!short_pools_.empty()) short_pools_.erase(job);
    }

    /// A running job stops before its end and goes back to the queue, keeping its place: it keeps
    /// the work its last checkpoint saved (none without checkpoints) and loses the rest.
    void interrupt(std::uint32_t job, Stop why) {
        JobRecord& r = row(job);
        LiveJob& j = live(job);
        account_stop(job);
        stop_running(job);
        ++j.epoch;
        if (why == Stop::failure) {
            ++r.interruptions;
            ++r_.interruptions;
        } else {
            ++r.preemptions;
            ++r_.preemptions;
        }
        enqueue(job);
    }

    /// A job whose failed node a spare replaced restarts at once where it is: it keeps what its last
    /// checkpoint saved, pays its restart, and its GPUs on the failed node are now on the spare.
    void restart_on_spare(engine::Engine& engine, std::uint32_t job, std::uint32_t failed, std::uint32_t spare) {
        JobRecord& r = row(job);
        LiveJob& j = live(job);
        account_stop(job);
        ++r.interruptions;
        ++r_.interruptions;
        add_load(job, -1);
        for (auto& [node, gpus] : j.allocation.nodes) {
            if (node == failed) node = spare;
        }
        add_load(job, +1);
        running_by_pool_[j.pool].remove(job, j.estimated_end_s);
        ++j.epoch;
        launch(engine, job);
    }

    /// The run stopped now: what it kept is productive (a reservation serves while it runs; a batch
    /// job keeps what its checkpoints saved), the rest of its time lost.
    void account_stop(std::uint32_t job) {
        JobRecord& r = row(job);
        LiveJob& j = live(job);
        const double elapsed_s = now_s_ - r.start_s;
        const double saved_s = j.fixed_end_s >= 0 ? elapsed_s : saved_work_s(j.plan, j.run_work_s, elapsed_s, j.resuming);
        r.productive_s += saved_s;
        r.lost_gpu_hours += (elapsed_s - saved_s) * r.gpus / 3600.0;
        if (j.fixed_end_s < 0 && saved_s > 0) {
            j.done_fraction = std::min(1.0, j.done_fraction + saved_s / run_s(job, j.pool));
        }
    }

    // ---- checkpoints ----

    /// The compute a job has left on a pool: its run time there less what its checkpoints saved.
    double work_left_s(std::uint32_t job, std::uint32_t pool) const {
        return run_s(job, pool) * (1.0 - live(job).done_fraction);
    }

    /// A job of a workload with checkpoints that has been stopped resumes from its last checkpoint.
    bool resumes(std::uint32_t job) const {
        const JobRecord& r = row(job);
        return demand_.workloads[live(job).workload].checkpoint && r.preemptions + r.interruptions > 0;
    }

    /// The checkpoints of a run of the job on a pool; `auto` takes the Young/Daly interval for the
    /// job's mean time to failure there, 1 / (nodes x the node failure rate of the pool).
    CheckpointPlan plan_of(std::uint32_t job, std::uint32_t pool) const {
        const auto& spec = demand_.workloads[live(job).workload].checkpoint;
        if (!spec) return {};
        CheckpointPlan plan{spec->interval_s, spec->cost_s, spec->restart_s};
        if (spec->automatic) {
            const int per_node = cluster_.pool(pool).gpus_per_node;
            const double nodes = std::max(1, cluster_.footprint(pool, row(job).gpus) / per_node);
            const double rate_per_s = pool_failure_rate_per_s_.empty() ? 0.0 : pool_failure_rate_per_s_[pool];
            const double mttf_s = rate_per_s > 0 ? 1.0 / (nodes * rate_per_s) : std::numeric_limits<double>::infinity();
            plan.interval_s = optimal_checkpoint_interval_s(spec->cost_s, mttf_s);
        }
        return plan;
    }

    // ---- failures ----

    void build_failures(StreamId replication) {
        std::vector<FailureNode> nodes;
        for (const infra::OrderSpec& o : infrastructure_.buildout) {
            for (std::int64_t i = 0; i < o.count; ++i) nodes.push_back({o.site, o.node, o.in_service_s(), o.retired_s()});
        }
        failures_.emplace(demand_.failures, std::move(nodes), replication);
        trace_next_.assign(failures_->process_count(), 0);
        repair_end_s_.assign(cluster_.node_count(), 0.0);
        repair_epoch_.assign(cluster_.node_count(), 0);
        for (std::uint32_t p = 0; p < cluster_.pool_count(); ++p) {
            const cluster::Pool& pool = cluster_.pool(p);
            pool_failure_rate_per_s_.push_back(failures_->mean_rate_per_s(pool.site, pool.node_type));
        }
    }

    void schedule_failure(engine::Engine& engine, std::size_t process, std::uint32_t node, double time_s) {
        if (time_s >= infrastructure_.end_s) return;
        engine.schedule(self_, time_s, failure_priority, node_failure, node | (static_cast<std::uint64_t>(process) << 32));
    }

    void schedule_trace_failure(engine::Engine& engine, std::size_t process) {
        const auto& rows = failures_->outages(process);
        if (trace_next_[process] >= rows.size()) return;
        const double time_s = std::max(rows[trace_next_[process]].time_s, infrastructure_.start_s);
        if (time_s < infrastructure_.end_s) engine.schedule(self_, time_s, failure_priority, trace_failure, process);
    }

    /// The node goes out of service for `repair_s`: a spare of its pool takes its place with its jobs,
    /// which restart there, or else every job on it stops (a multi-node job on all its nodes). A node
    /// already out stays out until the later of the two repairs.
    void outage(engine::Engine& engine, std::uint32_t node, double repair_s) {
        const double back_s = now_s_ + repair_s;
        if (cluster_.is_failed(node)) {
            if (back_s <= repair_end_s_[node]) return;
        } else {
            if (const std::int64_t spare = cluster_.in_service(node) ? cluster_.spare_for(node) : -1; spare >= 0) {
                const auto to = static_cast<std::uint32_t>(spare);
                for (const std::uint32_t job : cluster_.replace_with_spare(node, to)) restart_on_spare(engine, job, node, to);
            } else {
                for (const std::uint32_t job : cluster_.fail(node)) interrupt(job, Stop::failure);
            }
            const cluster::Pool& pool = cluster_.pool(cluster_.pool_of_node(node));
            repairs_.failed(pool.site, pool.gpus_per_node);
            load_changed_ = true; // the failed node stops drawing, even when it ran nothing
        }
        repair_end_s_[node] = back_s;
        engine.schedule(self_, back_s, failure_priority, node_repair,
                        node | (static_cast<std::uint64_t>(++repair_epoch_[node]) << 32));
    }

    /// Makes room for an urgent job by preempting the lowest-priority running work in the first of
    /// its pools where that suffices: research first, then fine-tuning, then training, the most
    /// recently started first (it has the least to lose). GPUs claimed by urgent jobs earlier in
    /// this pass do not count as free.
    void preempt_for(std::uint32_t urgent) {
        const int g = row(urgent).gpus;
        const auto allowed = pools(urgent);
        const auto room = [&](std::uint32_t p) {
            if (!cluster_.fits_now(p, g)) return false;
            return claimed_gpus_[p] == 0 || cluster_.free_gpus(p) - claimed_gpus_[p] >= cluster_.footprint(p, g);
        };
        for (const std::uint32_t p : allowed) {
            if (room(p)) {
                claimed_gpus_[p] += cluster_.footprint(p, g);
                return;
            }
        }
        for (const std::uint32_t p : allowed) {
            std::vector<RunningCandidate> running;
            for (const auto& rj : running_by_pool_[p].jobs()) {
                const JobRecord& r = row(rj.job);
                running.push_back({rj.job, static_cast<JobClass>(r.job_class), r.start_s, rj.units});
            }
            const auto victims = preemption_order(running, cluster_.free_gpus(p) - claimed_gpus_[p],
                                                  cluster_.footprint(p, g));
            if (!victims) continue; // not enough here even if every preemptible job stopped
            for (const std::uint32_t victim : *victims) {
                if (room(p)) break;
                interrupt(victim, Stop::preemption);
            }
            if (room(p)) claimed_gpus_[p] += cluster_.footprint(p, g);
            return;
        }
    }

    const engine::Model& self_; // the WorkloadModel, owner of this model's events
    const infra::InfrastructureSpec& infrastructure_;
    const DemandSpec& demand_;
    WorkloadResult& r_;
    std::vector<std::string> gpu_types_;
    std::unique_ptr<sched::SchedulingPolicy> policy_;
    cluster::GpuCluster cluster_;
    cluster::ClusterMachine machine_;
    std::vector<std::int32_t> pool_gpu_type_;
    JobSources sources_;
    std::vector<std::vector<std::uint32_t>> workload_pools_;
    std::vector<std::int64_t> largest_job_gpus_; // per pool: its most nodes in service at once, in GPUs
    // Jobs that max_walltime keeps off some of their workload's pools, and the pools left to them.
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> short_pools_;
    JobTable<LiveJob> table_;

    JobRecord& row(std::uint32_t job) { return table_.row(job); }
    const JobRecord& row(std::uint32_t job) const { return table_.row(job); }
    LiveJob& live(std::uint32_t job) { return table_.state(job); }
    const LiveJob& live(std::uint32_t job) const { return table_.state(job); }

    sched::SchedulingQueue queue_;
    sched::SchedulingPass pass_;
    std::size_t queued_total_ = 0;
    std::vector<sched::RunningList> running_by_pool_;
    std::vector<std::int64_t> claimed_gpus_; // per pool, in a pass: taken by the urgent jobs seen so far
    GpuPowerLoad power_load_;

    sched::FairShare fair_share_;
    TenantActivity activity_;
    RepairActivity repairs_;
    std::optional<NodeFailures> failures_;      // none: no node ever fails
    std::vector<std::size_t> trace_next_;       // per failure process: its next trace row
    std::vector<double> repair_end_s_;          // per node: when its repair ends (while failed)
    std::vector<std::uint32_t> repair_epoch_;   // per node: bumped when a repair is extended
    std::vector<double> pool_failure_rate_per_s_; // per pool: a node's mean failure rate
    double step_start_s_ = 0;
    double now_s_ = 0;
    std::vector<CalendarYear> years_; // of the horizon, for the delivery by year
    std::size_t year_ = 0;            // the one holding now_s_
    infra::InfrastructureSimulation* power_ = nullptr; // whose power this load drives
    bool load_changed_ = false;                        // since the power last followed it

};

WorkloadModel::WorkloadModel(const infra::InfrastructureSpec& infrastructure, const DemandSpec& demand,
                             WorkloadResult& result, std::vector<std::string> gpu_types, StreamId replication)
    : impl_(std::make_unique<Impl>(infrastructure, demand, result, std::move(gpu_types), replication, *this)) {}
WorkloadModel::~WorkloadModel() = default;
void WorkloadModel::start(engine::Engine& engine) { impl_->start(engine); }
void WorkloadModel::handle(const engine::Event& event, engine::Engine& engine) { impl_->handle(event, engine); }
void WorkloadModel::integrate_until(double t_s) { impl_->integrate_until(t_s); }
void WorkloadModel::close_step(double t_s) { impl_->close_step(t_s); }
void WorkloadModel::finish() { impl_->finish(); }
void WorkloadModel::after_event(engine::Engine& engine) { impl_->after_event(engine); }
void WorkloadModel::drive_power_of(infra::InfrastructureSimulation& infra) {
    infra.set_gpu_load(this);
    impl_->drive_power_of(&infra);
}
void WorkloadModel::set_sink(JobSink* sink) { impl_->set_sink(sink); }
void WorkloadModel::set_observer(JobObserver* observer) { impl_->set_observer(observer); }
void WorkloadModel::check_invariants() const { impl_->check_invariants(); }
std::uint64_t WorkloadModel::jobs_simulated() const { return impl_->jobs_simulated(); }
void WorkloadModel::powered_nodes_changed(std::size_t order, std::int64_t powered) {
    impl_->powered_nodes_changed(order, powered);
}
double WorkloadModel::busy_power_above_idle_w(std::size_t order) const { return impl_->busy_power_above_idle_w(order); }
std::int64_t WorkloadModel::failed_powered_nodes(std::size_t order) const { return impl_->failed_powered_nodes(order); }

} // namespace capsim::workload
