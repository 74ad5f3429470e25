#pragma once
// The readers of a scenario's top-level sections, one file each group. Each takes the section's node
// (undefined when the section is absent), reports every problem it finds and fills the Scenario of
// `context`; scenario_loader.cpp calls them in the order below, which later sections rely on.
// Private to the loader.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

#include "section_context.hpp"

namespace capsim::scenario::detail {

// read_settings.cpp: the scenario-wide settings.
/// `start` and `end` of the root mapping; sets horizon_ok.
void read_horizon(SectionContext& context, const YAML::Node& root);
void read_output(SectionContext& context, const YAML::Node& node);
/// Also converts the built-in catalog's USD prices into the scenario's currency.
void read_finance(SectionContext& context, const YAML::Node& node);
void read_power(SectionContext& context, const YAML::Node& node);

// read_catalog.cpp: GPU models and node types, after finance (their prices are in its currency).
void read_catalog(SectionContext& context, const YAML::Node& node);
/// The built-in catalog's prices are in USD: converts them at finance.exchange_rates.USD.
void convert_catalog_prices(SectionContext& context, const YAML::Node& finance);

// read_sites.cpp: the sites and their time-varying quantities, after the horizon.
void read_sites(SectionContext& context, const YAML::Node& sites);

// read_buildout.cpp: the orders, after the catalog and the sites they name.
void read_buildout(SectionContext& context, const YAML::Node& orders);

// read_workloads.cpp: tenants, then the workloads that belong to them.
void read_tenants(SectionContext& context, const YAML::Node& list);
void read_workloads(SectionContext& context, const YAML::Node& list);
/// The random stream index that `name` selects (FNV-1a of its text), shared so that workloads and
/// failure processes draw their streams the same way.
std::uint64_t stream_of(const std::string& name);

// read_scheduler.cpp
void read_scheduler(SectionContext& context, const YAML::Node& node);

// read_failures.cpp: node failures, after the catalog, the sites and the build-out that a trace's
// nodes are counted in.
void read_failures(SectionContext& context, const YAML::Node& list);

// check_limits.cpp: once every section is read, the sizes that would not fit in memory.
namespace limits {
inline constexpr double output_steps = 1e6; // per run: 114 years hourly, 1.9 years at 1 min
inline constexpr double nodes = 1e6;        // ordered in all: 8 M GPUs of 8-GPU nodes
inline constexpr double jobs = 5e7;         // expected over the horizon: 40 times the default scenario's
} // namespace limits
void check_limits(SectionContext& context, const YAML::Node& root);

} // namespace capsim::scenario::detail
