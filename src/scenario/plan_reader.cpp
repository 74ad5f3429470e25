#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "capsim/scenario/plan.hpp"
#include "capsim/scenario/scenario_loader.hpp"
#include "capsim/util/strings.hpp"
#include "capsim/workload/arrival_process.hpp"
#include "capsim/workload/job_class.hpp"
#include "overrides.hpp"
#include "sweep_reader.hpp"
#include "yaml_reader.hpp"

namespace capsim::scenario {
namespace {

using detail::YamlReader;

/// The most candidates a plan's grid may hold: the exhaustive search and the results file hold
/// one row per evaluated candidate, and a grid past this is a mistyped step.
constexpr double max_grid = 1e6;
constexpr std::size_t max_replications = 100000;

/// A metric a constraint may name, and how to read it.
struct MetricInfo {
    const char* name;     // as a plan names it
    const char* variable; // the results variable
    PlanMetricSource source;
    Dimension dimension;  // how its bound is written
    bool is_number;       // a plain number (counts, GPU-hours); `dimension` is unused then
    const char* units;
    /// How more capacity moves it: -1 down (waits), +1 up (energy, stranded hours), 0 either way.
    int with_capacity;
};

constexpr MetricInfo metrics[] = {
    {"wait_mean", "wait_mean_s", PlanMetricSource::group_summary, Dimension::duration, false, "s", -1},
    {"wait_p50", "wait_p50_s", PlanMetricSource::group_summary, Dimension::duration, false, "s", -1},
    {"wait_p95", "wait_p95_s", PlanMetricSource::group_summary, Dimension::duration, false, "s", -1},
    {"wait_p99", "wait_p99_s", PlanMetricSource::group_summary, Dimension::duration, false, "s", -1},
    {"bounded_slowdown_mean", "bounded_slowdown_mean", PlanMetricSource::group_summary, Dimension::fraction, true, "1", -1},
    {"still_waiting", "still_waiting", PlanMetricSource::group_summary, Dimension::fraction, true, "1", -1},
    {"rejected", "rejected", PlanMetricSource::group_summary, Dimension::fraction, true, "1", -1},
    {"share_shortfall_gpu_hours", "share_shortfall_gpu_hours", PlanMetricSource::group_summary, Dimension::fraction,
     true, "h", -1},
    {"delivered_share", "delivered_share", PlanMetricSource::group_summary, Dimension::fraction, false, "1", 0},
    {"lost_gpu_hours", "lost_gpu_hours", PlanMetricSource::group_summary, Dimension::fraction, true, "h", 1},
    {"ettr_weighted", "ettr_weighted", PlanMetricSource::group_summary, Dimension::fraction, false, "1", 0},
    {"stranded_gpu_hours", "gpu_hours_stranded", PlanMetricSource::totals, Dimension::fraction, true, "h", 1},
    {"total_carbon_t", "total_carbon_t", PlanMetricSource::totals, Dimension::fraction, true, "t", 1},
    {"total_energy_mwh", "total_energy_mwh", PlanMetricSource::totals, Dimension::fraction, true, "MWh", 1},
    {"peak_pflops_powered_at_end", "peak_pflops_powered_at_end", PlanMetricSource::totals, Dimension::fraction, true,
     "PFLOP/s", 1},
};

const MetricInfo* find_metric(std::string_view name) {
    for (const MetricInfo& m : metrics) {
        if (name == m.name || name == m.variable) return &m;
    }
    return nullptr;
}

const std::vector<std::string> plan_keys = {"decide",     "minimize",     "discount_rate", "constraints",
                                            "confidence", "replications", "budget"};

/// Keys whose larger values give at least as much capacity: GPU and node counts, spares, grid steps.
bool capacity_key(const std::string& key) {
    const auto ends_with = [&](std::string_view tail) {
        return key.size() >= tail.size() && key.compare(key.size() - tail.size(), tail.size(), tail) == 0;
    };
    return ends_with(".count") || ends_with(".spare_nodes") || ends_with(".capacity") || ends_with(".grid") ||
           key.find(".grid[") != std::string::npos;
}

class PlanReader {
public:
    PlanReader(YamlReader& reader, const YAML::Node& root, const std::vector<detail::OverrideOrigin>& origins,
               const detail::StudyInput& input, const Scenario& base)
        : r_(reader), root_(root), origins_(origins), input_(input), base_(base) {}

    PlanSpec read(const YAML::Node& plan) {
        PlanSpec spec;
        if (!r_.check_mapping(plan, "plan", plan_keys)) return spec;
        read_decisions(r_.child(plan, "plan", "decide", true), spec);
        if (const YAML::Node n = r_.child(plan, "plan", "minimize", false)) {
            if (auto v = r_.text(n, "plan.minimize", "cost")) {
                if (*v != "cost") {
                    r_.error(n, "plan.minimize", "'" + *v + "', expected cost (capex and electricity over the horizon)");
                }
            }
        }
        if (const YAML::Node n = r_.child(plan, "plan", "discount_rate", false)) {
            try {
                spec.discount_rate_per_year = workload::parse_growth_per_year(n.IsScalar() ? n.Scalar() : "");
                if (spec.discount_rate_per_year < 0) throw std::invalid_argument("a negative rate");
            } catch (const std::invalid_argument&) {
                r_.error(n, "plan.discount_rate", YamlReader::found(n) + ", expected a rate like 5%/year");
            }
        }
        read_constraints(r_.child(plan, "plan", "constraints", true), spec);
        if (const YAML::Node n = r_.child(plan, "plan", "confidence", false)) {
            if (auto v = r_.number(n, "plan.confidence", 0, 1)) {
                if (*v <= 0) r_.error(n, "plan.confidence", YamlReader::found(n) + ", expected a share > 0 and <= 1");
                spec.confidence = *v;
            }
        }
        if (const YAML::Node n = r_.child(plan, "plan", "replications", false)) {
            if (auto v = r_.whole_number(n, "plan.replications", 1)) {
                if (static_cast<std::size_t>(*v) > max_replications) {
                    r_.error(n, "plan.replications", YamlReader::found(n) + ", expected at most " +
                                                         std::to_string(max_replications));
                }
                spec.replications = static_cast<std::size_t>(*v);
            }
        }
        if (const YAML::Node n = r_.child(plan, "plan", "budget", false)) {
            if (auto v = r_.whole_number(n, "plan.budget", 1)) spec.budget = static_cast<std::size_t>(*v);
        }
        return spec;
    }

private:
    void read_decisions(const YAML::Node& list, PlanSpec& spec) {
        const std::string path = "plan.decide";
        if (!list) return;
        if (!list.IsSequence() || list.size() == 0) {
            r_.error(list, path, YamlReader::found(list) +
                                     ", expected a list of decisions like {key: buildout[2].count, from: 0, to: "
                                     "2048, step: 64} or {key: buildout[2].ordered, values: [2027-06-01, 2028-01-01]}");
            return;
        }
        detail::SweepReader keys(r_, root_, origins_, input_);
        for (std::size_t i = 0; i < list.size(); ++i) {
            const YAML::Node entry = list[i];
            const std::string at = YamlReader::index_path(path, i);
            if (!r_.check_mapping(entry, at, {"key", "values", "from", "to", "step", "monotone"})) continue;
            const YAML::Node key = r_.child(entry, at, "key", true);
            if (!key) continue;
            YAML::Node values;
            if (entry["values"]) {
                values = entry["values"];
                if (entry["from"] || entry["to"] || entry["step"]) {
                    r_.error(entry, at, "gives both values and a range, expected one of them");
                    continue;
                }
            } else if (entry["from"] || entry["to"] || entry["step"]) {
                values = YAML::Node(YAML::NodeType::Map);
                for (const char* k : {"from", "to", "step"}) {
                    if (entry[k]) values[k] = entry[k];
                }
            } else {
                r_.error(entry, at, "gives no values, expected values: [...] or a range from:, to:, step:");
                continue;
            }
            auto swept = keys.read_key(key, values, at);
            if (!swept) continue;
            PlanDecision d;
            d.key = swept->key;
            d.settings = swept->settings;
            d.texts = swept->texts;
            d.numeric = true;
            for (const std::string& text : d.texts) {
                const auto q = detail::base_quantity(text, base_.currency);
                if (!q || (!d.units.empty() && q->second != d.units)) {
                    d.numeric = false;
                    break;
                }
                d.units = q->second;
                d.numbers.push_back(q->first);
            }
            if (!d.numeric) {
                d.units.clear();
                d.numbers.clear();
            }
            d.monotone = d.numeric && capacity_key(d.key) && std::is_sorted(d.numbers.begin(), d.numbers.end());
            if (const YAML::Node m = entry["monotone"]) {
                if (auto v = r_.boolean(m, at + ".monotone")) {
                    if (*v && !d.numeric) {
                        r_.error(m, at + ".monotone", "true, but the values are not numbers of one unit, expected "
                                                      "monotone only for counts and capacities");
                    }
                    d.monotone = *v && d.numeric;
                }
            }
            for (const PlanDecision& other : spec.decisions) {
                if (other.key == d.key) r_.error(key, at + ".key", "'" + d.key + "' is decided twice");
            }
            spec.decisions.push_back(std::move(d));
        }
        if (spec.grid_size() > max_grid) {
            r_.error(list, path, "gives " + format_number(spec.grid_size()) + " candidates, expected at most " +
                                     format_number(max_grid) + "; use larger steps or fewer values");
        }
    }

    void read_constraints(const YAML::Node& list, PlanSpec& spec) {
        const std::string path = "plan.constraints";
        if (!list) return;
        if (!list.IsSequence() || list.size() == 0) {
            r_.error(list, path, YamlReader::found(list) +
                                     ", expected a list of service levels like {metric: wait_p95, group: \"tenant:*\", "
                                     "at_most: 12h, per: year}");
            return;
        }
        for (std::size_t i = 0; i < list.size(); ++i) {
            const YAML::Node entry = list[i];
            const std::string at = YamlReader::index_path(path, i);
            if (!r_.check_mapping(entry, at, {"metric", "group", "at_most", "at_least", "per"})) continue;
            PlanConstraint c;
            const YAML::Node metric_node = r_.child(entry, at, "metric", true);
            const auto metric = r_.text(metric_node, at + ".metric", "a metric name like wait_p95");
            if (!metric) continue;
            const MetricInfo* info = find_metric(*metric);
            if (!info) {
                std::string message = "unknown metric '" + *metric + "'";
                if (auto near = nearest_name(*metric, plan_metric_names())) message += ", did you mean '" + *near + "'?";
                else message += ", expected one of " + quoted_list(plan_metric_names());
                r_.error(metric_node, at + ".metric", message);
                continue;
            }
            c.metric = info->name;
            c.variable = info->variable;
            c.source = info->source;
            c.units = info->units;
            if (const YAML::Node g = entry["group"]) {
                if (auto group = r_.text(g, at + ".group", "a group like \"tenant:*\"")) {
                    if (c.source == PlanMetricSource::totals) {
                        r_.error(g, at + ".group", "'" + c.metric + "' is a total of the whole run, expected no group");
                        continue;
                    }
                    if (!check_group(g, at + ".group", *group)) continue;
                    c.group = *group;
                }
            } else if (c.source == PlanMetricSource::group_summary) {
                c.group = "all";
            }
            const YAML::Node most = entry["at_most"], least = entry["at_least"];
            if (bool(most) == bool(least)) {
                r_.error(entry, at, std::string(most ? "gives both at_most and at_least" : "gives no bound") +
                                        ", expected one of at_most or at_least");
                continue;
            }
            c.at_most = bool(most);
            c.helped_by_capacity = (info->with_capacity < 0 && c.at_most) || (info->with_capacity > 0 && !c.at_most);
            const YAML::Node b = most ? most : least;
            const std::string bound_path = at + (most ? ".at_most" : ".at_least");
            std::optional<double> bound;
            if (info->is_number) bound = r_.number(b, bound_path, -1e300, 1e300);
            else bound = r_.quantity(b, bound_path, info->dimension, base_.currency);
            if (!bound) continue;
            c.bound = *bound;
            c.bound_text = b.IsScalar() ? b.Scalar() : YamlReader::found(b);
            if (const YAML::Node p = entry["per"]) {
                const auto per = r_.text(p, at + ".per", "year");
                if (!per) continue;
                if (*per != "year") {
                    r_.error(p, at + ".per", "'" + *per + "', expected year (the constraint holds in every calendar year)");
                    continue;
                }
                if (c.source == PlanMetricSource::totals) {
                    r_.error(p, at + ".per", "'" + c.metric + "' is a total of the whole run and has no yearly values");
                    continue;
                }
                c.per_year = true;
            }
            spec.constraints.push_back(std::move(c));
        }
    }

    /// "all", "tenant:NAME|*", "class:NAME|*", "tenant:A/class:B" with either side a name or *.
    bool check_group(const YAML::Node& node, const std::string& path, const std::string& group) {
        if (group == "all") return true;
        std::vector<std::string> tenants, classes;
        for (const auto& t : base_.tenants) tenants.push_back(t.name);
        for (int c = 0; c < workload::job_class_count; ++c) classes.push_back(workload::to_string(static_cast<workload::JobClass>(c)));
        const auto check_part = [&](std::string_view part, std::string_view kind, const std::vector<std::string>& names) {
            const std::string prefix = std::string(kind) + ":";
            if (part.substr(0, prefix.size()) != prefix) return false;
            const std::string name(part.substr(prefix.size()));
            if (name == "*" || std::find(names.begin(), names.end(), name) != names.end()) return true;
            std::string message = "no " + std::string(kind) + " '" + name + "' in the scenario";
            if (auto near = nearest_name(name, names)) message += ", did you mean '" + prefix + *near + "'?";
            else message += ", expected one of " + quoted_list(names) + " or *";
            r_.error(node, path, message);
            return false;
        };
        const std::size_t slash = group.find('/');
        const std::string_view g(group);
        const std::string shape = "'" + group +
                                  "', expected all, tenant:NAME, class:NAME or tenant:NAME/class:NAME (a name may be *)";
        if (slash == std::string::npos) {
            if (g.substr(0, 7) == "tenant:") return check_part(g, "tenant", tenants);
            if (g.substr(0, 6) == "class:") return check_part(g, "class", classes);
            r_.error(node, path, shape);
            return false;
        }
        if (g.substr(0, 7) != "tenant:" || g.substr(slash + 1, 6) != "class:") {
            r_.error(node, path, shape);
            return false;
        }
        return check_part(g.substr(0, slash), "tenant", tenants) && check_part(g.substr(slash + 1), "class", classes);
    }

    YamlReader& r_;
    const YAML::Node& root_;
    const std::vector<detail::OverrideOrigin>& origins_;
    const detail::StudyInput& input_;
    const Scenario& base_;
};

} // namespace

std::string PlanConstraint::describe() const {
    std::string text = metric;
    if (!group.empty()) text += " of " + group;
    text += (at_most ? " at most " : " at least ") + bound_text;
    if (per_year) text += " in every year";
    return text;
}

double PlanSpec::grid_size() const {
    double n = 1;
    for (const PlanDecision& d : decisions) n *= static_cast<double>(d.size());
    return n;
}

std::size_t PlanSpec::grid_index(const std::vector<std::size_t>& choice) const {
    std::size_t index = 0;
    for (std::size_t d = 0; d < decisions.size(); ++d) index = index * decisions[d].size() + choice.at(d);
    return index;
}

std::vector<std::size_t> PlanSpec::choice_of(std::size_t grid_index) const {
    std::vector<std::size_t> choice(decisions.size());
    for (std::size_t d = decisions.size(); d-- > 0;) {
        choice[d] = grid_index % decisions[d].size();
        grid_index /= decisions[d].size();
    }
    return choice;
}

std::vector<std::string> plan_metric_names() {
    std::vector<std::string> names;
    for (const MetricInfo& m : metrics) names.emplace_back(m.name);
    return names;
}

PlanProblem::PlanProblem(std::string text, std::string source, std::vector<std::string> overrides,
                         std::filesystem::path base_directory, Scenario base, PlanSpec spec)
    : text_(std::move(text)), source_(std::move(source)), overrides_(std::move(overrides)),
      base_directory_(std::move(base_directory)), base_(std::move(base)), spec_(std::move(spec)) {}

std::vector<std::string> PlanProblem::settings(const std::vector<std::size_t>& choice) const {
    std::vector<std::string> out;
    for (std::size_t d = 0; d < spec_.decisions.size(); ++d) {
        out.push_back(spec_.decisions[d].key + "=" + spec_.decisions[d].settings.at(choice.at(d)));
    }
    return out;
}

std::vector<std::string> PlanProblem::overrides_and_settings(const std::vector<std::size_t>& choice) const {
    std::vector<std::string> all = overrides_;
    for (std::string& s : settings(choice)) all.push_back(std::move(s));
    return all;
}

Scenario PlanProblem::load(const std::vector<std::size_t>& choice) const {
    return parse_scenario(text_, source_, overrides_and_settings(choice), base_directory_);
}

std::string PlanProblem::candidate_text(const std::vector<std::size_t>& choice) const {
    YAML::Node root = YAML::Load(text_);
    Diagnostics ignored; // load() has checked these settings
    detail::apply_overrides(root, overrides_and_settings(choice), ignored);
    root.remove("plan");
    root.remove("sweep");
    // The planner evaluated replications 0..R-1 of the candidate's own streams; `capsim run` of
    // this file runs the same.
    root["replications"] = spec_.replications;
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

PlanProblem parse_plan(std::string_view text, const std::string& source, const std::vector<std::string>& overrides,
                       const std::filesystem::path& base_directory) {
    // The file with --set must be valid before its plan can be read; its errors are thrown here.
    std::optional<Scenario> base = parse_scenario(text, source, overrides, base_directory);
    Diagnostics diagnostics;
    YAML::Node root = YAML::Load(std::string(text));
    Diagnostics reported_above;
    const auto origins = detail::apply_overrides(root, overrides, reported_above);
    YamlReader reader(source, origins, diagnostics);
    const detail::StudyInput input{text, source, overrides, base_directory};
    const YAML::Node plan = root["plan"];
    if (!plan || plan.IsNull()) {
        Diagnostic d;
        d.file = source;
        d.message = "no plan: block, expected one that says what to decide and the service levels to meet "
                    "(docs/planning.md); capsim run simulates a scenario as written";
        diagnostics.add(std::move(d));
        throw ScenarioError(std::move(diagnostics));
    }
    if (root["sweep"] && !root["sweep"].IsNull()) {
        reader.error(root["sweep"], "sweep", "a plan cannot have a sweep as well, expected the swept keys as "
                                             "decisions in plan.decide");
    }
    PlanSpec spec = PlanReader(reader, root, origins, input, *base).read(plan);
    if (!diagnostics.empty()) throw ScenarioError(std::move(diagnostics));
    return PlanProblem(std::string(text), source, overrides, base_directory, std::move(*base), std::move(spec));
}

PlanProblem load_plan(const std::string& path, const std::vector<std::string>& overrides) {
    const ScenarioFile file = read_scenario_file(path);
    return parse_plan(file.text, path, overrides, file.base_directory);
}

} // namespace capsim::scenario
