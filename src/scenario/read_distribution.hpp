#pragma once
// Reading a distribution of a workload's jobs (GPUs, work, duration, estimate factor). Private to the loader.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

#include "capsim/workload/distribution.hpp"
#include "section_context.hpp"

namespace capsim::scenario::detail {

/// A value, or {fixed | uniform | exponential | lognormal | choice | empirical}. Values carry the
/// quantity's unit when `dimension` is given (a duration: '20min'), else none (a count, FLOP).
/// nullopt after reporting what is wrong.
std::optional<workload::Distribution> read_distribution(SectionContext& context, const YAML::Node& node,
                                                        const std::string& path, std::optional<Dimension> dimension);

} // namespace capsim::scenario::detail
