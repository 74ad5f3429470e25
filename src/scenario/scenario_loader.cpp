#include "capsim/scenario/scenario_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "capsim/util/strings.hpp"
#include "diagnostic_messages.hpp"
#include "overrides.hpp"
#include "section_readers.hpp"
#include "yaml_reader.hpp"
#include "yaml_syntax_error.hpp"

namespace capsim::scenario {
namespace {

using detail::SectionContext;
using detail::YamlReader;

// `replications`, `common_random_numbers` and `sweep` belong to the study (study.cpp) and `plan` to the
// planner (plan_reader.cpp), which read the same file: a scenario accepts them and leaves them alone.
const std::vector<std::string> top_level_keys = {"name",     "description", "start",     "end",       "seed",
                                                 "output",   "finance",     "power",     "catalog",   "sites",
                                                 "buildout", "tenants",     "workloads", "scheduler", "failures",
                                                 "replications", "common_random_numbers", "sweep",    "plan"};

/// Reads the sections of one scenario's root mapping into the context's Scenario, reporting problems
/// as it goes. The order matters: prices follow the finance section's currency, sites need the
/// horizon, orders name sites and catalog entries, workloads name tenants, sites and GPUs, failures
/// name node types and sites and count a trace's nodes in the build-out.
void read_sections(SectionContext& context, const YAML::Node& root) {
    YamlReader& reader = context.reader;
    Scenario& scenario = context.scenario;
    if (!reader.check_mapping(root, "", top_level_keys)) return;
    if (auto name = reader.text(reader.child(root, "", "name", true), "name", "a scenario name")) scenario.name = *name;
    detail::read_horizon(context, root);
    if (YAML::Node seed = reader.child(root, "", "seed", false)) {
        if (auto v = reader.whole_number(seed, "seed", 0)) scenario.seed = static_cast<std::uint64_t>(*v);
    }
    detail::read_output(context, reader.child(root, "", "output", false));
    detail::read_finance(context, reader.child(root, "", "finance", false));
    detail::read_power(context, reader.child(root, "", "power", false));
    detail::read_catalog(context, reader.child(root, "", "catalog", false));
    detail::read_sites(context, reader.child(root, "", "sites", true));
    detail::read_buildout(context, reader.child(root, "", "buildout", false));
    detail::read_tenants(context, reader.child(root, "", "tenants", false));
    detail::read_workloads(context, reader.child(root, "", "workloads", false));
    detail::read_scheduler(context, reader.child(root, "", "scheduler", false));
    detail::read_failures(context, reader.child(root, "", "failures", false));
    if (!scenario.workloads.empty() && scenario.tenants.empty()) {
        reader.error(root["workloads"], "tenants", detail::missing("the tenants that the workloads belong to"));
    }
    if (reader.error_count() == 0) detail::check_limits(context, root);
}

} // namespace

Scenario parse_scenario(std::string_view text, const std::string& source, const std::vector<std::string>& overrides,
                        const std::filesystem::path& base_directory) {
    Scenario scenario;
    scenario.source = source;
    scenario.text = std::string(text);
    scenario.overrides = overrides;
    scenario.catalog = infra::HardwareCatalog::built_in();
    Diagnostics diagnostics;
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
        diagnostics.add(detail::yaml_syntax_error(e, text, source));
        throw ScenarioError(std::move(diagnostics));
    }
    const auto origins = detail::apply_overrides(root, overrides, diagnostics);
    if (!overrides.empty()) {
        YAML::Emitter resolved;
        resolved << root;
        scenario.resolved_text = resolved.c_str();
    } else {
        scenario.resolved_text = scenario.text;
    }
    YamlReader reader(source, origins, diagnostics);
    scenario.has_plan = root.IsMap() && root["plan"] && !root["plan"].IsNull();
    if (!root.IsMap()) {
        const std::string expected = "a scenario: a mapping with keys " + join_alternatives(top_level_keys);
        reader.error(root, "", detail::found_instead_of(root, expected));
    } else {
        SectionContext context(reader, scenario, base_directory);
        read_sections(context, root);
    }
    if (!diagnostics.empty()) throw ScenarioError(std::move(diagnostics));
    scenario.notes = reader.notes();
    return scenario;
}

ScenarioFile read_scenario_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("cannot open scenario '" + path + "': " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    const std::filesystem::path base = std::filesystem::path(path).parent_path();
    return {text.str(), base.empty() ? std::filesystem::path(".") : base};
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
    const ScenarioFile file = read_scenario_file(path);
    return parse_scenario(file.text, path, overrides, file.base_directory);
}

} // namespace capsim::scenario
