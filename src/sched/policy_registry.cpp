#include "capsim/sched/policy_registry.hpp"

#include <functional>
#include <utility>

#include "capsim/sched/conservative_policy.hpp"
#include "capsim/sched/easy_policy.hpp"
#include "capsim/sched/fcfs_policy.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::sched {
namespace {

using Factory = std::function<std::unique_ptr<SchedulingPolicy>()>;

const std::vector<std::pair<std::string, Factory>>& registry() {
    static const std::vector<std::pair<std::string, Factory>> policies = {
        {"fcfs", [] { return std::make_unique<FcfsPolicy>(); }},
        {"easy", [] { return std::make_unique<EasyPolicy>(); }},
        {"conservative", [] { return std::make_unique<ConservativePolicy>(); }},
    };
    return policies;
}

} // namespace

std::vector<std::string> policy_names() {
    std::vector<std::string> names;
    for (const auto& entry : registry()) names.push_back(entry.first);
    return names;
}

std::unique_ptr<SchedulingPolicy> make_policy(std::string_view name) {
    for (const auto& [policy_name, factory] : registry()) {
        if (policy_name == name) return factory();
    }
    std::string message =
        "unknown scheduling policy '" + std::string(name) + "', expected " + join_alternatives(policy_names());
    if (auto near = nearest_name(name, policy_names())) message += "; did you mean '" + *near + "'?";
    throw InputError(message);
}

} // namespace capsim::sched
