#pragma once
#include <memory>
#include <vector>

#include "capsim/workload/workload_result.hpp"

namespace capsim::metrics {

using workload::GroupSummary;
using workload::WorkloadSummary;

/// Builds the per-tenant and per-class summary from job rows fed one at a time (so the rows need
/// not be kept), and the delivered GPU-hours of the tenant time series.
class WorkloadSummaryBuilder {
public:
    WorkloadSummaryBuilder(std::size_t tenants, double tau_s = 10.0);
    ~WorkloadSummaryBuilder();
    void add(const workload::JobRecord& job);
    WorkloadSummary finish(const workload::WorkloadResult& result);

private:
    struct Accumulator;
    std::vector<Accumulator> tenants_, classes_;
    std::unique_ptr<Accumulator> all_;
    double tau_s_;
};

/// The summary of a result whose rows are all in memory (no sink).
WorkloadSummary summarize(const workload::WorkloadResult& result, double tau_s = 10.0);

} // namespace capsim::metrics
