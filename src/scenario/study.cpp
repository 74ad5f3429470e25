#include "capsim/scenario/study.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "capsim/scenario/scenario_loader.hpp"
#include "capsim/util/stop_request.hpp"
#include "capsim/util/strings.hpp"
#include "overrides.hpp"
#include "sweep_reader.hpp"
#include "yaml_reader.hpp"

namespace capsim::scenario {
namespace {

using detail::Axis;
using detail::KeySegment;
using detail::StudyInput;
using detail::SweepReader;
using detail::SweptKey;
using detail::YamlReader;
using detail::base_quantity;
using detail::positions;
using detail::within;

std::vector<std::string> site_names(const Scenario& s) {
    std::vector<std::string> names;
    for (const infra::SiteSpec& site : s.sites) names.push_back(site.name);
    return names;
}

std::vector<std::string> tenant_names(const Scenario& s) {
    std::vector<std::string> names;
    for (const workload::TenantSpec& tenant : s.tenants) names.push_back(tenant.name);
    return names;
}

/// Gives every point the union of the points' GPU types, newest generation first (then in the order
/// the points first name them), so that points ordering different node types share one output axis.
void share_gpu_axis(Study& study) {
    std::vector<std::pair<std::string, int>> types; // name, generation
    for (const Scenario& point : study.points) {
        for (const std::string& name : infra::output_gpu_types(point)) {
            const auto same = [&](const auto& t) { return t.first == name; };
            if (std::none_of(types.begin(), types.end(), same)) {
                types.emplace_back(name, infra::generation(*point.catalog.find_gpu(name)));
            }
        }
    }
    std::stable_sort(types.begin(), types.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> axis;
    for (const auto& t : types) axis.push_back(t.first);
    for (Scenario& point : study.points) point.gpu_axis = axis;
}

/// Gives every point the union of the points' sites, in the order the points first name them, so
/// that points with different sites share one output axis. A site a point lacks joins it with no
/// grid, no nodes and no prices: its series are zeros. Site indices move with the sites.
void share_site_axis(Study& study) {
    std::vector<std::string> axis;
    for (const Scenario& point : study.points) {
        for (const std::string& name : site_names(point)) {
            if (std::find(axis.begin(), axis.end(), name) == axis.end()) axis.push_back(name);
        }
    }
    for (Scenario& point : study.points) {
        if (site_names(point) == axis) continue;
        std::vector<infra::SiteSpec> sites;
        std::vector<std::size_t> moved(point.sites.size()); // old index -> index on the axis
        for (std::size_t a = 0; a < axis.size(); ++a) {
            const auto same = [&](const infra::SiteSpec& site) { return site.name == axis[a]; };
            const auto found = std::find_if(point.sites.begin(), point.sites.end(), same);
            if (found == point.sites.end()) {
                infra::SiteSpec absent;
                absent.name = axis[a];
                sites.push_back(std::move(absent));
            } else {
                moved[static_cast<std::size_t>(found - point.sites.begin())] = a;
                sites.push_back(*found);
            }
        }
        point.sites = std::move(sites);
        for (infra::OrderSpec& order : point.buildout) order.site = moved[order.site];
        for (workload::WorkloadSpec& w : point.workloads) {
            for (std::size_t& site : w.sites) site = moved[site];
            if (w.reservation) w.reservation->site = moved[w.reservation->site];
        }
        for (workload::FailureSpec& f : point.failures) {
            for (std::size_t& site : f.sites) site = moved[site];
            for (auto& row : f.trace) row.site = moved[row.site];
        }
    }
}

/// Loads every point of the grid into `study`; a point's problems are reported at the sweep value
/// that caused them, naming the point, and each problem once however many points share it.
void load_points(const std::vector<Axis>& axes, const StudyInput& input, YamlReader& reader, Diagnostics& diagnostics,
                 Study& study) {
    std::size_t count = 1;
    for (const Axis& axis : axes) count *= axis.size();
    std::set<std::string> reported;
    bool first_loaded = false; // point 0, which the others must match in shape
    for (std::size_t p = 0; p < count; ++p) {
        // Loading many points takes a while (each is read and checked in full): a signal must not wait.
        if (const int signal = stop_signal()) {
            throw Interrupted(signal, "stopped by " + signal_name(signal) + " while loading the study's " +
                                          std::to_string(count) + " points; nothing was simulated or written");
        }
        const std::vector<std::size_t> at = positions(axes, p);
        std::vector<std::string> settings;
        std::vector<std::pair<const SweptKey*, std::size_t>> values; // parallel to settings
        for (std::size_t a = 0; a < axes.size(); ++a) {
            for (const SweptKey& key : axes[a].keys) {
                settings.push_back(key.key + "=" + key.settings[at[a]]);
                values.emplace_back(&key, at[a]);
            }
        }
        const std::string label = "point " + std::to_string(p) + " (" + join(settings, ", ") + ")";
        study.point_settings.push_back(settings);
        try {
            Scenario scenario = input.load(settings);
            if (p > 0 && first_loaded) {
                const Scenario& first = study.points.front();
                for (const auto& [what, names, expected] :
                     {std::tuple{"tenants", tenant_names(scenario), tenant_names(first)}}) {
                    if (names == expected) continue;
                    // Blame the swept key under sites/tenants if there is one.
                    std::size_t blamed = 0;
                    for (std::size_t k = 0; k < values.size(); ++k) {
                        if (within(values[k].first->normal, what)) {
                            blamed = k;
                            break;
                        }
                    }
                    const auto& [key, position] = values[blamed];
                    const std::string found = names.empty() ? "none" : quoted_list(names);
                    reader.error_at(key->marks[position], key->path,
                                    label + ": its " + what + " are " + found + ", expected those of point 0 (" +
                                        quoted_list(expected) + "): all points must have the same " + what +
                                        ", whose names label the output");
                }
            }
            first_loaded = first_loaded || p == 0;
            study.points.push_back(std::move(scenario));
        } catch (const ScenarioError& e) {
            for (Diagnostic d : e.diagnostics().items()) {
                const auto from_point = std::find_if(values.begin(), values.end(), [&](const auto& v) {
                    return d.origin == "--set " + v.first->key + "=" + v.first->settings[v.second];
                });
                if (from_point == values.end()) {
                    // Not from a swept value alone (e.g. a swept currency makes a price elsewhere invalid).
                    if (!reported.insert(d.format()).second) continue;
                    d.message = label + ": " + d.message;
                    diagnostics.add(std::move(d));
                    continue;
                }
                const auto& [key, position] = *from_point;
                const std::string message =
                    d.key_path.empty() || d.key_path == key->normal ? d.message : d.key_path + ": " + d.message;
                if (!reported.insert(key->path + "\n" + message).second) continue;
                reader.error_at(key->marks[position], key->path, label + ": " + message);
            }
        }
    }
}

/// Each swept key's values at every point, as numbers in base units where they all are quantities
/// of one unit.
std::vector<SweepCoordinate> coordinates(const std::vector<Axis>& axes, const Study& study) {
    std::vector<SweepCoordinate> out;
    for (std::size_t a = 0; a < axes.size(); ++a) {
        for (const SweptKey& key : axes[a].keys) {
            SweepCoordinate c;
            c.key = key.key;
            c.numeric = true;
            for (std::size_t p = 0; p < study.points.size(); ++p) {
                c.texts.push_back(key.texts[positions(axes, p)[a]]);
                const auto quantity = base_quantity(c.texts.back(), study.points[p].currency);
                if (!quantity || (p > 0 && quantity->second != c.units)) c.numeric = false;
                if (c.numeric) {
                    c.units = quantity->second;
                    c.numbers.push_back(quantity->first);
                }
            }
            if (!c.numeric) {
                c.units.clear();
                c.numbers.clear();
            }
            out.push_back(std::move(c));
        }
    }
    return out;
}

} // namespace

Study parse_study(std::string_view text, const std::string& source, const std::vector<std::string>& overrides,
                  const std::filesystem::path& base_directory) {
    const StudyInput input{text, source, overrides, base_directory};
    Diagnostics diagnostics;
    // The file with --set alone must be valid: its problems are reported once, not once per point.
    std::optional<Scenario> base;
    try {
        base = input.load({});
    } catch (const ScenarioError& e) {
        for (const Diagnostic& d : e.diagnostics().items()) diagnostics.add(d);
    }
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException&) {
        throw ScenarioError(std::move(diagnostics)); // the load above reported it
    }
    Diagnostics reported_above; // the load above reported the malformed overrides
    const auto origins = detail::apply_overrides(root, overrides, reported_above);
    YamlReader reader(source, origins, diagnostics);

    Study study;
    std::vector<Axis> axes;
    if (root.IsMap()) {
        const YAML::Node& tree = root;
        if (const YAML::Node n = reader.child(tree, "", "replications", false)) {
            if (auto v = reader.whole_number(n, "replications", 1)) {
                study.replications = static_cast<std::uint64_t>(*v);
            }
        }
        if (auto v = reader.boolean(reader.child(tree, "", "common_random_numbers", false), "common_random_numbers")) {
            study.common_random_numbers = *v;
        }
        axes = SweepReader(reader, tree, origins, input).read(tree["sweep"]);
    }
    if (!diagnostics.empty()) throw ScenarioError(std::move(diagnostics));
    if (axes.empty()) {
        study.points.push_back(std::move(*base));
        study.point_settings.emplace_back();
        return study;
    }
    load_points(axes, input, reader, diagnostics, study);
    if (!diagnostics.empty()) throw ScenarioError(std::move(diagnostics));
    share_gpu_axis(study);
    share_site_axis(study);
    study.coordinates = coordinates(axes, study);
    return study;
}

Study load_study(const std::string& path, const std::vector<std::string>& overrides) {
    const ScenarioFile file = read_scenario_file(path);
    return parse_study(file.text, path, overrides, file.base_directory);
}

} // namespace capsim::scenario
