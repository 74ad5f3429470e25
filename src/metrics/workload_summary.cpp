#include "capsim/metrics/workload_summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "capsim/metrics/percentile.hpp"
#include "capsim/workload/job_class.hpp"

namespace capsim::metrics {
namespace {

constexpr std::size_t classes = workload::job_class_count;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// The sorted union of sorted runs, merged pairwise (log2 of the runs passes over the values).
void merge_sorted(const std::vector<std::span<const double>>& runs, std::vector<double>& out,
                  std::vector<double>& scratch) {
    out.clear();
    std::vector<std::size_t> bounds = {0};
    for (const auto run : runs) {
        if (run.empty()) continue;
        out.insert(out.end(), run.begin(), run.end());
        bounds.push_back(out.size());
    }
    while (bounds.size() > 2) {
        scratch.resize(out.size());
        std::vector<std::size_t> merged = {0};
        for (std::size_t i = 0; i + 1 < bounds.size(); i += 2) {
            const auto begin = out.begin();
            if (i + 2 < bounds.size()) {
                std::merge(begin + static_cast<std::ptrdiff_t>(bounds[i]), begin + static_cast<std::ptrdiff_t>(bounds[i + 1]),
                           begin + static_cast<std::ptrdiff_t>(bounds[i + 1]), begin + static_cast<std::ptrdiff_t>(bounds[i + 2]),
                           scratch.begin() + static_cast<std::ptrdiff_t>(bounds[i]));
                merged.push_back(bounds[i + 2]);
            } else {
                std::copy(begin + static_cast<std::ptrdiff_t>(bounds[i]), begin + static_cast<std::ptrdiff_t>(bounds[i + 1]),
                          scratch.begin() + static_cast<std::ptrdiff_t>(bounds[i]));
                merged.push_back(bounds[i + 1]);
            }
        }
        out.swap(scratch);
        bounds = std::move(merged);
    }
}

/// The wait figures of a group from its sorted waits.
void set_waits(GroupSummary& s, const std::vector<double>& sorted) {
    double sum = 0;
    for (const double w : sorted) sum += w;
    s.wait_mean_s = sorted.empty() ? nan : sum / static_cast<double>(sorted.size());
    s.wait_p50_s = percentile_sorted(sorted, 50);
    s.wait_p95_s = percentile_sorted(sorted, 95);
    s.wait_p99_s = percentile_sorted(sorted, 99);
}

} // namespace

double job_ettr(const workload::JobRecord& job) {
    const double span_s = job.end_s - job.first_start_s;
    if (job.state != workload::JobState::completed || !(span_s > 0)) return std::numeric_limits<double>::quiet_NaN();
    return job.productive_s / span_s;
}

std::vector<const GroupSummary*> PeriodSummary::rows() const {
    std::vector<const GroupSummary*> out;
    for (const auto* groups : {&tenants, &classes, &tenant_classes}) {
        for (const auto& g : *groups) out.push_back(&g);
    }
    out.push_back(&all);
    return out;
}

std::vector<std::string> group_names(const PeriodSummary& summary) {
    std::vector<std::string> names;
    for (const auto& t : summary.tenants) names.push_back("tenant:" + t.name);
    for (const auto& c : summary.classes) names.push_back("class:" + c.name);
    for (const auto& t : summary.tenants) {
        for (const auto& c : summary.classes) names.push_back("tenant:" + t.name + "/class:" + c.name);
    }
    names.push_back("all");
    return names;
}

/// The sums and counts of one group in one period; its waits are kept by the builder.
struct WorkloadSummaryBuilder::Accumulator {
    GroupSummary summary;
    double slowdown_sum = 0;
    double ettr_sum = 0;
    std::uint64_t ettr_jobs = 0;
    double productive_gpu_s = 0, span_gpu_s = 0; // of the completed jobs, for the weighted ETTR

    void add(const workload::JobRecord& job, double tau_s) {
        GroupSummary& s = summary;
        ++s.submitted;
        s.preemptions += job.preemptions;
        s.interruptions += job.interruptions;
        s.lost_gpu_hours += job.lost_gpu_hours;
        if (!std::isnan(job.demand_gpu_hours)) s.demand_gpu_hours += job.demand_gpu_hours;
        if (job.first_start_s >= 0) ++s.started;
        switch (job.state) {
        case workload::JobState::completed: ++s.completed; break;
        case workload::JobState::running: ++s.running; break;
        case workload::JobState::queued:
            ++s.queued;
            if (job.first_start_s < 0) ++s.still_waiting;
            break;
        case workload::JobState::rejected:
            ++s.rejected;
            if (job.rejection == workload::Rejection::too_large) ++s.rejected_too_large;
            if (job.rejection == workload::Rejection::no_matching_gpus) ++s.rejected_no_matching_gpus;
            if (job.rejection == workload::Rejection::over_max_walltime) ++s.rejected_over_max_walltime;
            break;
        }
        if (job.state == workload::JobState::completed) {
            // The job's own run time: a job that resumed from a checkpoint ran its last run for only
            // part of its work, which its productive time holds whole.
            const double run_s = std::max(job.run_s, job.productive_s);
            slowdown_sum += std::max(1.0, (job.end_s - job.submit_s) / std::max(run_s, tau_s));
            if (const double ettr = job_ettr(job); !std::isnan(ettr)) {
                ettr_sum += ettr;
                ++ettr_jobs;
                productive_gpu_s += job.productive_s * job.gpus;
                span_gpu_s += (job.end_s - job.first_start_s) * job.gpus;
            }
        }
    }

    /// The group's figures, its waits (sorted) given.
    GroupSummary finish(const std::vector<double>& sorted_waits) const {
        GroupSummary s = summary;
        set_waits(s, sorted_waits);
        s.bounded_slowdown_mean = s.completed ? slowdown_sum / static_cast<double>(s.completed) : nan;
        s.ettr_mean = ettr_jobs ? ettr_sum / static_cast<double>(ettr_jobs) : nan;
        s.ettr_weighted = span_gpu_s > 0 ? productive_gpu_s / span_gpu_s : nan;
        return s;
    }
};

WorkloadSummaryBuilder::WorkloadSummaryBuilder(std::size_t tenants, double horizon_start_s, double horizon_end_s,
                                               double tau_s)
    : tenants_(tenants), years_(calendar_years(horizon_start_s, horizon_end_s)), horizon_end_s_(horizon_end_s),
      tau_s_(tau_s), groups_((1 + years_.size()) * group_count()),
      waits_(std::max<std::size_t>(1, years_.size()) * tenants * classes) {}
WorkloadSummaryBuilder::~WorkloadSummaryBuilder() = default;

std::size_t WorkloadSummaryBuilder::group_count() const { return tenants_ + classes + tenants_ * classes + 1; }

std::size_t WorkloadSummaryBuilder::year_of(double submit_s) const {
    // The last year starting at or before the submission; a job before the horizon (none should be)
    // counts in the first year.
    const auto after = std::upper_bound(years_.begin(), years_.end(), submit_s,
                                        [](double t, const CalendarYear& y) { return t < y.from_s; });
    return after == years_.begin() ? 0 : static_cast<std::size_t>(after - years_.begin()) - 1;
}

void WorkloadSummaryBuilder::add(const workload::JobRecord& job) {
    const std::size_t year = year_of(job.submit_s), t = job.tenant, c = job.job_class, groups = group_count();
    const std::size_t rows[] = {t, tenants_ + c, tenants_ + classes + t * classes + c, groups - 1};
    for (const std::size_t period : {std::size_t{0}, 1 + year}) {
        if (period > years_.size()) continue; // an empty horizon has no years
        for (const std::size_t row : rows) groups_[period * groups + row].add(job, tau_s_);
    }
    // A wait ends at the first start. A job never started has waited until the end of the horizon so
    // far, and counts with that (censored) wait: leaving it out would make a deeper backlog look better.
    const bool never_started = job.state == workload::JobState::queued && job.first_start_s < 0;
    if (job.first_start_s >= 0 || never_started) {
        const double until_s = job.first_start_s >= 0 ? job.first_start_s : std::max(job.submit_s, horizon_end_s_);
        waits_[(year * tenants_ + t) * classes + c].push_back(until_s - job.submit_s);
    }
}

WorkloadSummary WorkloadSummaryBuilder::finish(const workload::WorkloadResult& r) {
    for (auto& cell : waits_) std::sort(cell.begin(), cell.end());
    const std::size_t groups = group_count();
    // Delivered GPU-hours per tenant and period: busy GPU time, integrated exactly over every step
    // (the horizon) or within the calendar year.
    auto delivered = [&](std::size_t period, std::size_t t) {
        if (period == 0) return r.delivered_gpu_hours_total[t];
        const std::size_t cell = (period - 1) * tenants_ + t;
        return cell < r.delivered_gpu_hours_by_year.size() ? r.delivered_gpu_hours_by_year[cell] : nan;
    };

    std::vector<double> sorted, scratch;
    // The period's figures: period 0 the horizon (every year's cells), period 1 + y year y's.
    auto period_summary = [&](std::size_t period) {
        const std::size_t first_year = period == 0 ? 0 : period - 1;
        const std::size_t last_year = period == 0 ? std::max<std::size_t>(1, years_.size()) : period;
        auto group = [&](std::size_t row, auto in_group) {
            std::vector<std::span<const double>> runs;
            for (std::size_t y = first_year; y < last_year; ++y) {
                for (std::size_t t = 0; t < tenants_; ++t) {
                    for (std::size_t c = 0; c < classes; ++c) {
                        if (in_group(t, c)) runs.emplace_back(waits_[(y * tenants_ + t) * classes + c]);
                    }
                }
            }
            merge_sorted(runs, sorted, scratch);
            return groups_[period * groups + row].finish(sorted);
        };
        double total = 0;
        for (std::size_t t = 0; t < tenants_; ++t) total += delivered(period, t);
        PeriodSummary out;
        out.all = group(groups - 1, [](std::size_t, std::size_t) { return true; });
        out.all.name = "all";
        out.all.delivered_gpu_hours = total;
        out.all.delivered_share = 1;
        out.all.entitled_share = 1;
        out.all.entitled_gpu_hours = total;
        out.all.share_shortfall_gpu_hours = 0;
        for (std::size_t t = 0; t < tenants_; ++t) {
            GroupSummary s = group(t, [t](std::size_t tt, std::size_t) { return tt == t; });
            s.name = r.tenants[t];
            s.entitled_share = r.entitled_share[t];
            s.delivered_gpu_hours = delivered(period, t);
            s.delivered_share = total > 0 ? s.delivered_gpu_hours / total : nan;
            s.entitled_gpu_hours = s.entitled_share * total;
            // Demand and delivery of fully served jobs are equal sums taken in another order: a
            // difference within their rounding is none.
            const double short_gpu_hours = std::min(s.entitled_gpu_hours, s.demand_gpu_hours) - s.delivered_gpu_hours;
            s.share_shortfall_gpu_hours = short_gpu_hours > 1e-9 * s.delivered_gpu_hours ? short_gpu_hours : 0.0;
            out.all.share_shortfall_gpu_hours += s.share_shortfall_gpu_hours;
            out.tenants.push_back(s);
        }
        auto not_per_tenant = [](GroupSummary& s) { // shares are the tenants' alone
            s.entitled_share = s.delivered_share = s.delivered_gpu_hours = nan;
            s.entitled_gpu_hours = s.share_shortfall_gpu_hours = nan;
        };
        for (std::size_t c = 0; c < classes; ++c) {
            GroupSummary s = group(tenants_ + c, [c](std::size_t, std::size_t cc) { return cc == c; });
            s.name = workload::to_string(static_cast<workload::JobClass>(c));
            not_per_tenant(s);
            out.classes.push_back(s);
        }
        for (std::size_t t = 0; t < tenants_; ++t) {
            for (std::size_t c = 0; c < classes; ++c) {
                const std::size_t row = tenants_ + classes + t * classes + c;
                GroupSummary s = group(row, [t, c](std::size_t tt, std::size_t cc) { return tt == t && cc == c; });
                s.name = out.tenants[t].name + "/" + out.classes[c].name;
                not_per_tenant(s);
                out.tenant_classes.push_back(s);
            }
        }
        return out;
    };

    WorkloadSummary out;
    static_cast<PeriodSummary&>(out) = period_summary(0);
    out.years = years_;
    for (std::size_t y = 0; y < years_.size(); ++y) out.by_year.push_back(period_summary(1 + y));
    return out;
}

} // namespace capsim::metrics
