#include "plan_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "capsim/util/error.hpp"
#include "format.hpp"

namespace capsim::cli {
namespace {

struct Candidates {
    std::vector<std::string> settings, verdict;
    std::vector<double> cost, attainment, frontier, run, met;
    std::size_t size() const { return settings.size(); }
};

Candidates read_candidates(const io::ResultsReader& r) {
    Candidates c;
    c.settings = r.strings("/candidates/settings");
    c.verdict = r.strings("/candidates/verdict");
    c.cost = r.doubles("/candidates/cost");
    c.attainment = r.doubles("/candidates/attainment");
    c.frontier = r.doubles("/candidates/on_frontier");
    c.run = r.doubles("/candidates/replications_run");
    c.met = r.doubles("/candidates/replications_met");
    const std::size_t n = c.size();
    for (std::size_t size : {c.verdict.size(), c.cost.size(), c.attainment.size(), c.frontier.size(), c.run.size(),
                             c.met.size()}) {
        if (size != n) throw IoError("the plan file's candidates group has datasets of different lengths");
    }
    return c;
}

} // namespace

void print_plan_summary(const io::ResultsReader& r) {
    const auto number = [&](const char* name) {
        return r.number_attribute("/", name).value_or(std::numeric_limits<double>::quiet_NaN());
    };
    const std::string currency = r.string_attribute("/", "currency").value_or("");
    const Candidates c = read_candidates(r);
    std::printf("  plan         %s (%s)\n", r.string_attribute("/", "scenario").value_or("?").c_str(),
                r.string_attribute("/", "source").value_or("?").c_str());
    std::printf("  searched     %s of a grid of %s in %s%s\n", plural(c.size(), "candidate").c_str(),
                human(number("grid_size")).c_str(), plural(static_cast<std::size_t>(number("runs")), "run").c_str(),
                number("exhaustive") == 1 ? " (exhaustive)" : "");
    std::printf("  confidence   every constraint must hold in %.0f of %.0f replications\n",
                number("required_replications"), number("replications"));
    const auto show = [&](const char* label, double index) {
        if (!(index >= 0) || index >= static_cast<double>(c.size())) return false;
        const auto i = static_cast<std::size_t>(index);
        std::printf("  %-12s %s\n", label, c.settings[i].c_str());
        std::printf("  %-12s %s %s, constraints met in %.0f of %.0f replications\n", "", human(std::round(c.cost[i])).c_str(),
                    currency.c_str(), c.met[i], c.run[i]);
        return true;
    };
    if (!show("chosen", number("chosen"))) {
        std::printf("  no candidate is feasible\n");
        show("closest", number("closest"));
    }
    show("runner-up", number("runner_up"));
    std::vector<std::size_t> frontier;
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (c.frontier[i] == 1) frontier.push_back(i);
    }
    std::sort(frontier.begin(), frontier.end(), [&](std::size_t a, std::size_t b) { return c.cost[a] < c.cost[b]; });
    if (frontier.empty()) return;
    std::printf("  frontier     cost against attainment (candidates run on every replication)\n");
    std::printf("    %16s %10s  %-11s %s\n", ("cost " + currency).c_str(), "attained", "verdict", "decisions");
    for (std::size_t i : frontier) {
        std::printf("    %16s %9.0f%%  %-11s %s\n", human(std::round(c.cost[i])).c_str(), 100 * c.attainment[i],
                    c.verdict[i].c_str(), c.settings[i].c_str());
    }
}

} // namespace capsim::cli
