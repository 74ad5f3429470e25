#include "capsim/plan/plan_file.hpp"

#include <cstdint>
#include <vector>

#include "capsim/io/hdf5_file.hpp"
#include "capsim/io/scenario_writer.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::plan {
namespace {

std::int64_t index_or_minus_one(const std::optional<std::size_t>& i) {
    return i ? static_cast<std::int64_t>(*i) : -1;
}

void write_candidates(const io::File& file, const scenario::PlanProblem& problem, const PlanResult& result) {
    const scenario::PlanSpec& spec = problem.spec();
    const io::Group g = file.create_group("candidates");
    g.set_attribute("description", "every candidate the search evaluated, in the order it evaluated them");
    const std::size_t n = result.candidates.size();
    std::vector<std::int64_t> index(n);
    for (std::size_t i = 0; i < n; ++i) index[i] = static_cast<std::int64_t>(i);
    const io::Dataset candidate = g.create_coordinate("candidate", std::span<const std::int64_t>(index), "1");

    auto reals = [&](const char* name, const std::string& units, const std::string& what, auto value) {
        std::vector<double> v;
        for (std::size_t i = 0; i < n; ++i) v.push_back(value(i));
        g.write_column(name, v, candidate, units, what);
    };
    auto integers = [&](const char* name, const std::string& what, auto value) {
        std::vector<std::int64_t> v;
        for (std::size_t i = 0; i < n; ++i) v.push_back(static_cast<std::int64_t>(value(i)));
        g.write_column(name, v, candidate, "1", what);
    };
    auto strings = [&](const std::string& name, const std::string& what, auto value) {
        std::vector<std::string> v;
        for (std::size_t i = 0; i < n; ++i) v.push_back(value(i));
        g.write_strings(name, v, &candidate).set_attribute("long_name", what);
    };

    std::vector<std::string> coordinates;
    for (std::size_t d = 0; d < spec.decisions.size(); ++d) {
        const scenario::PlanDecision& decision = spec.decisions[d];
        const std::string name = "decision_" + std::to_string(d);
        coordinates.push_back(name);
        const auto at = [&](std::size_t i) { return result.candidates[i].choice[d]; };
        if (decision.numeric) {
            std::vector<double> v;
            for (std::size_t i = 0; i < n; ++i) v.push_back(decision.numbers[at(i)]);
            g.write_column(name, v, candidate, decision.units, "decided value of " + decision.key)
                .set_attribute("key", decision.key);
        } else {
            std::vector<std::string> v;
            for (std::size_t i = 0; i < n; ++i) v.push_back(decision.texts[at(i)]);
            const io::Dataset d_set = g.write_strings(name, v, &candidate);
            d_set.set_attribute("long_name", "decided value of " + decision.key);
            d_set.set_attribute("key", decision.key);
        }
        strings(name + "_text", "decided value of " + decision.key + ", as written",
                [&](std::size_t i) { return decision.texts[at(i)]; });
    }
    strings("settings", "the candidate's decisions as --set takes them",
            [&](std::size_t i) { return join(problem.settings(result.candidates[i].choice), " "); });
    integers("grid_index", "place in the grid of decisions, the last decision varying fastest",
             [&](std::size_t i) { return result.candidates[i].grid_index; });
    integers("replications_run", "replications simulated (a candidate screened out runs fewer)",
             [&](std::size_t i) { return result.candidates[i].outcomes.size(); });
    integers("replications_met", "replications in which every constraint held",
             [&](std::size_t i) { return result.candidates[i].successes(); });
    reals("attainment", "1", "share of the replications run in which every constraint held",
          [&](std::size_t i) { return result.candidates[i].attainment(); });
    reals("cost", problem.base().currency.code,
          "capex (hardware, facility) and electricity over the horizon" +
              std::string(spec.discount_rate_per_year > 0 ? ", discounted to the start" : "") +
              ", mean over the replications run",
          [&](std::size_t i) { return result.candidates[i].cost_mean(); });
    strings("verdict", "feasible, infeasible, not_loadable (the scenario refused the decisions) or unfinished",
            [&](std::size_t i) { return std::string(to_string(result.verdicts[i])); });
    integers("feasible", "1 when the constraints held in at least the confidence share of all replications",
             [&](std::size_t i) { return result.verdicts[i] == Verdict::feasible ? 1 : 0; });
    integers("on_frontier", "1 when no candidate run on every replication is cheaper with at least its attainment",
             [&](std::size_t i) { return result.on_frontier[i]; });
    integers("chosen", "1 for the chosen plan", [&](std::size_t i) { return result.chosen && *result.chosen == i; });
    strings("load_error", "why the scenario refused the decisions; empty when it loaded",
            [&](std::size_t i) { return result.candidates[i].load_error; });
    for (std::size_t k = 0; k < spec.constraints.size(); ++k) {
        const scenario::PlanConstraint& c = spec.constraints[k];
        const std::string base = "constraint_" + std::to_string(k);
        reals((base + "_value").c_str(), c.units,
              c.metric + " (worst over " + (c.group.empty() ? "the run" : c.group) + (c.per_year ? " and the years" : "") +
                  "), mean over the replications run",
              [&](std::size_t i) { return result.candidates[i].worst_mean(k); });
        reals((base + "_attainment").c_str(), "1", "share of the replications run in which " + c.describe(),
              [&](std::size_t i) { return result.candidates[i].constraint_attainment(k); });
    }
    g.set_attribute("decision_coordinates", join(coordinates, " "));
}

void write_constraints(const io::File& file, const scenario::PlanSpec& spec) {
    const io::Group g = file.create_group("constraints");
    g.set_attribute("description", "the service levels every candidate must meet");
    const std::size_t n = spec.constraints.size();
    std::vector<std::int64_t> index(n);
    for (std::size_t i = 0; i < n; ++i) index[i] = static_cast<std::int64_t>(i);
    const io::Dataset constraint = g.create_coordinate("constraint", std::span<const std::int64_t>(index), "1");
    auto strings = [&](const char* name, auto value) {
        std::vector<std::string> v;
        for (const auto& c : spec.constraints) v.push_back(value(c));
        g.write_strings(name, v, &constraint);
    };
    strings("metric", [](const scenario::PlanConstraint& c) { return c.metric; });
    strings("group", [](const scenario::PlanConstraint& c) { return c.group; });
    strings("kind", [](const scenario::PlanConstraint& c) { return std::string(c.at_most ? "at_most" : "at_least"); });
    strings("bound_text", [](const scenario::PlanConstraint& c) { return c.bound_text; });
    strings("units", [](const scenario::PlanConstraint& c) { return c.units; });
    strings("per", [](const scenario::PlanConstraint& c) { return std::string(c.per_year ? "year" : "horizon"); });
    strings("description", [](const scenario::PlanConstraint& c) { return c.describe(); });
    std::vector<double> bounds;
    for (const auto& c : spec.constraints) bounds.push_back(c.bound);
    g.write_column("bound", bounds, constraint, "", "the bound in the metric's units (see units)");
}

} // namespace

void write_plan_file(const std::string& path, const scenario::PlanProblem& problem, const PlanResult& result,
                     const PlanFileOptions& options) {
    const scenario::PlanSpec& spec = problem.spec();
    io::File file = io::File::create(path);
    io::write_scenario_provenance(file, problem.base());
    file.set_attribute("title", "capsim plan: " + problem.base().name);
    file.set_attribute("file_kind", "plan");
    file.set_attribute("plan_fingerprint", options.fingerprint);
    file.set_attribute("minimize", spec.minimize);
    file.set_attribute("discount_rate_per_year", spec.discount_rate_per_year);
    file.set_attribute("confidence", spec.confidence);
    file.set_attribute("replications", static_cast<std::int64_t>(spec.replications));
    file.set_attribute("required_replications", static_cast<std::int64_t>(required_successes(spec)));
    file.set_attribute("screening_replications", static_cast<std::int64_t>(screening_replications(spec.replications)));
    file.set_attribute("budget", static_cast<std::int64_t>(spec.budget));
    file.set_attribute("grid_size", spec.grid_size());
    file.set_attribute("exhaustive", static_cast<std::int64_t>(options.exhaustive ? 1 : 0));
    file.set_attribute("runs_simulated", static_cast<std::int64_t>(result.runs_simulated));
    file.set_attribute("runs_resumed", static_cast<std::int64_t>(result.runs_resumed));
    file.set_attribute("runs", static_cast<std::int64_t>(result.runs_used()));
    file.set_attribute("budget_spent", static_cast<std::int64_t>(result.budget_spent ? 1 : 0));
    file.set_attribute("wall_time_s", result.wall_s);
    file.set_attribute("processes", static_cast<std::int64_t>(result.processes));
    file.set_attribute("chosen", index_or_minus_one(result.chosen));
    file.set_attribute("runner_up", index_or_minus_one(result.runner_up));
    file.set_attribute("closest", index_or_minus_one(result.closest));
    const auto settings_of = [&](const std::optional<std::size_t>& i) {
        return i ? join(problem.settings(result.candidates[*i].choice), "\n") : std::string();
    };
    file.set_attribute("chosen_settings", settings_of(result.chosen));
    file.set_attribute("runner_up_settings", settings_of(result.runner_up));
    file.set_attribute("closest_settings", settings_of(result.closest));
    std::vector<std::string> keys;
    for (const auto& d : spec.decisions) keys.push_back(d.key);
    file.set_attribute("decided_keys", join(keys, "\n"));
    write_candidates(file, problem, result);
    write_constraints(file, spec);
    file.close();
}

} // namespace capsim::plan
