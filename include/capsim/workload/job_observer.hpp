#pragma once
#include "capsim/workload/workload_result.hpp"

namespace capsim::workload {

/// Sees each row of the job table once, when it is final (completed or rejected) or the horizon has
/// ended, in the order a JobSink receives the rows: what a summary of the jobs needs, without the
/// table having to be kept.
class JobObserver {
public:
    virtual ~JobObserver() = default;
    virtual void row_final(const JobRecord& row) = 0;
};

} // namespace capsim::workload
