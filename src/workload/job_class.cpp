#include "capsim/workload/job_class.hpp"

namespace capsim::workload {

const char* to_string(JobClass job_class) {
    switch (job_class) {
    case JobClass::urgent: return "urgent";
    case JobClass::inference: return "inference";
    case JobClass::training: return "training";
    case JobClass::fine_tuning: return "fine-tuning";
    case JobClass::research: return "research";
    }
    return "unknown";
}

} // namespace capsim::workload
