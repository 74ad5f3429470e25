// Scenario text with a plan: block in, a plan problem or a ScenarioError out; then, for a loaded
// problem, what the planner does with it before it simulates: the settings and scenario of its
// first, middle and last candidates, and the scenario file --write-scenario would save, which
// `capsim run` must accept whenever the candidate itself loaded. Seeds: the bundled plans and the
// bad plan blocks of tests/scenarios/invalid.
#include <cstdlib>
#include <optional>

#include "capsim/scenario/plan.hpp"
#include "capsim/scenario/study.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace capsim;
    std::optional<scenario::PlanProblem> problem;
    fuzz::expect_clean_outcome([&] {
        problem.emplace(scenario::parse_plan(fuzz::as_text(data, size), "fuzz.yaml", {}, fuzz::scratch_directory()));
    });
    if (!problem) return 0;
    const scenario::PlanSpec& spec = problem->spec();
    const double grid = spec.grid_size();
    if (!(grid >= 1)) std::abort(); // a loaded plan has at least one candidate
    const auto last = static_cast<std::size_t>(std::min(grid, 1e15)) - 1;
    for (const std::size_t index : {std::size_t{0}, last / 2, last}) {
        const std::vector<std::size_t> choice = spec.choice_of(index);
        (void)problem->settings(choice);
        bool loaded = false;
        fuzz::expect_clean_outcome([&] {
            (void)problem->load(choice);
            loaded = true;
        });
        if (!loaded) continue;
        // What --write-scenario saves for a candidate that loads must load as a scenario of its own.
        const std::string text = problem->candidate_text(choice);
        try {
            (void)scenario::parse_study(text, "candidate.yaml", {}, fuzz::scratch_directory());
        } catch (const Error&) {
            std::abort();
        }
    }
    return 0;
}
