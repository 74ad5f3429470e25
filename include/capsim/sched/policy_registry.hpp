#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "capsim/sched/scheduling_policy.hpp"

namespace capsim::sched {

/// The scheduling policies by name. Adding a policy is one file and one line in the registry.
std::vector<std::string> policy_names();

/// A new policy of the given name; an unknown name throws InputError listing the known ones.
std::unique_ptr<SchedulingPolicy> make_policy(std::string_view name);

} // namespace capsim::sched
