#include "summary_command.hpp"

#include <cmath>
#include <cstdio>
#include <algorithm>
#include <limits>
#include <vector>

#include "capsim/io/results_reader.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/strings.hpp"
#include "format.hpp"
#include "plan_summary.hpp"

namespace capsim::cli {
namespace {

double number(const io::ResultsReader& r, const char* name) {
    return r.number_attribute("/", name).value_or(std::numeric_limits<double>::quiet_NaN());
}

std::string text(const io::ResultsReader& r, const char* object, const char* name) {
    return r.string_attribute(object, name).value_or("?");
}

/// A tenant's class in which it submitted nothing: left out of the tables (every tenant has a row
/// for every class in the file).
bool is_empty_tenant_class(const std::string& group, double submitted) {
    return group.find("/class:") != std::string::npos && !(submitted > 0);
}

void print_replay(const io::ResultsReader& r) {
    std::printf("  trace        %s\n", text(r, "/", "source").c_str());
    std::printf("  machine      %s processors, policy %s, queue order %s\n", human(number(r, "processors")).c_str(),
                text(r, "/", "policy").c_str(), text(r, "/", "order").c_str());
    std::printf("  jobs         %s simulated, %s skipped, %s rejected\n", human(number(r, "jobs")).c_str(),
                human(number(r, "skipped")).c_str(), human(number(r, "rejected")).c_str());
    std::printf("  wait         mean %s, p50 %s, p95 %s, p99 %s\n", duration(number(r, "wait_mean_s")).c_str(),
                duration(number(r, "wait_p50_s")).c_str(), duration(number(r, "wait_p95_s")).c_str(),
                duration(number(r, "wait_p99_s")).c_str());
    std::printf("  slowdown     bounded: mean %s, max %s\n", number_or_dash(number(r, "bounded_slowdown_mean"), "%.2f").c_str(),
                number_or_dash(number(r, "bounded_slowdown_max"), "%.1f").c_str());
    std::printf("  utilization  %s\n", number_or_dash(number(r, "utilization"), "%.4f").c_str());
}

/// What node failures and stops cost the jobs, only for a file with a node failure or an interrupted
/// job (older files, without these variables, and runs without failures print nothing here).
void print_failures(const io::ResultsReader& r) {
    if (!r.has("/summary/ettr_weighted") || !r.has("/sites/node_failures")) return;
    double node_failures = 0;
    for (const double n : r.doubles("/sites/node_failures")) node_failures += n;
    const double interruptions = number(r, "interruptions");
    if (node_failures == 0 && !(interruptions > 0)) return;
    std::printf("  failures     %s node failures, %s interruptions of jobs, %s GPU-hours lost\n",
                human(node_failures).c_str(), human(interruptions).c_str(), human(number(r, "lost_gpu_hours")).c_str());
    const auto groups = r.strings("/summary/group");
    const auto interrupted = r.doubles("/summary/interruptions");
    const auto lost = r.doubles("/summary/lost_gpu_hours");
    const auto ettr_mean = r.doubles("/summary/ettr_mean");
    const auto ettr_weighted = r.doubles("/summary/ettr_weighted");
    const auto submitted = r.doubles("/summary/submitted");
    std::printf("  %-36s %13s %12s %10s %10s\n", "tenant / class", "interruptions", "lost GPU-h", "ETTR mean",
                "ETTR wtd");
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (is_empty_tenant_class(groups[i], submitted[i])) continue;
        std::printf("  %-36s %13s %12s %10s %10s\n", groups[i].c_str(), human(interrupted[i]).c_str(),
                    human(lost[i]).c_str(), number_or_dash(ettr_mean[i], "%.3f").c_str(),
                    number_or_dash(ettr_weighted[i], "%.3f").c_str());
    }
}

/// A tenant's own row ("tenant:x"), not one of its classes ("tenant:x/class:y").
bool is_tenant_group(const std::string& group) {
    return group.rfind("tenant:", 0) == 0 && group.find('/') == std::string::npos;
}

/// A variable of the file, or NaNs of `size` where an older file lacks it.
std::vector<double> doubles_or_nan(const io::ResultsReader& r, const std::string& dataset, std::size_t size) {
    return r.has(dataset) ? r.doubles(dataset) : std::vector<double>(size, std::numeric_limits<double>::quiet_NaN());
}

/// The groups a table shows: every tenant and `all`, and the classes and tenant classes with jobs.
std::vector<std::size_t> shown_groups(const std::vector<std::string>& groups, const std::vector<double>& submitted) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const bool empty_class = groups[i].rfind("class:", 0) == 0 && !(submitted[i] > 0);
        if (!is_empty_tenant_class(groups[i], submitted[i]) && !empty_class) out.push_back(i);
    }
    return out;
}

/// Jobs and waits per group, and each tenant's demand beside its delivery.
void print_service(const io::ResultsReader& r) {
    std::printf("  jobs         %s submitted, %s completed, %s rejected, %s preemptions\n", human(number(r, "jobs")).c_str(),
                human(number(r, "jobs_completed")).c_str(), human(number(r, "jobs_rejected")).c_str(),
                human(number(r, "preemptions")).c_str());
    const auto groups = r.strings("/summary/group");
    const std::size_t n = groups.size();
    const auto submitted = r.doubles("/summary/submitted");
    const auto completed = r.doubles("/summary/completed");
    const auto rejected = r.doubles("/summary/rejected");
    const auto waiting = doubles_or_nan(r, "/summary/still_waiting", n);
    const auto wait = r.doubles("/summary/wait_mean_s");
    const auto p50 = r.doubles("/summary/wait_p50_s");
    const auto p95 = r.doubles("/summary/wait_p95_s");
    const auto p99 = r.doubles("/summary/wait_p99_s");
    const auto bsld = r.doubles("/summary/bounded_slowdown_mean");
    std::printf("  waits until first start; a job still waiting at the end counts with its wait so far\n");
    std::printf("  %-36s %10s %10s %9s %9s %10s %9s %9s %9s %7s\n", "tenant / class", "jobs", "done", "rejected",
                "waiting", "wait mean", "p50", "p95", "p99", "bsld");
    for (const std::size_t i : shown_groups(groups, submitted)) {
        std::printf("  %-36s %10s %10s %9s %9s %10s %9s %9s %9s %7s\n", groups[i].c_str(), human(submitted[i]).c_str(),
                    human(completed[i]).c_str(), human(rejected[i]).c_str(), human_or_dash(waiting[i]).c_str(),
                    duration(wait[i]).c_str(), duration(p50[i]).c_str(), duration(p95[i]).c_str(),
                    duration(p99[i]).c_str(), number_or_dash(bsld[i], "%.2f").c_str());
    }
    const auto demand = doubles_or_nan(r, "/summary/demand_gpu_hours", n);
    const auto delivered = r.doubles("/summary/delivered_gpu_hours");
    const auto share = r.doubles("/summary/delivered_share");
    const auto entitled = r.doubles("/summary/entitled_share");
    const auto shortfall = doubles_or_nan(r, "/summary/share_shortfall_gpu_hours", n);
    std::printf("  shares       short: how far a tenant fell below its share, counting only what it asked for\n");
    std::printf("  %-36s %14s %14s %9s %9s %14s\n", "tenant", "asked GPU-h", "delivered", "share", "entitled", "short GPU-h");
    for (std::size_t i = 0; i < n; ++i) {
        if (!is_tenant_group(groups[i]) && groups[i] != "all") continue;
        std::printf("  %-36s %14s %14s %9s %9s %14s\n", groups[i].c_str(), human_or_dash(demand[i]).c_str(),
                    human_or_dash(delivered[i]).c_str(), number_or_dash(100 * share[i], "%.1f%%").c_str(),
                    number_or_dash(100 * entitled[i], "%.1f%%").c_str(), human_or_dash(shortfall[i]).c_str());
    }
}

/// The p95 wait of each group by the year its jobs were submitted in.
void print_waits_by_year(const io::ResultsReader& r) {
    if (!r.has("/summary_by_year/year")) return;
    const auto years = r.doubles("/summary_by_year/year");
    const auto groups = r.strings("/summary_by_year/group");
    const auto submitted = r.doubles("/summary_by_year/submitted");
    const auto p95 = r.doubles("/summary_by_year/wait_p95_s");
    const std::size_t n = groups.size();
    if (years.empty() || submitted.size() != years.size() * n) return;
    std::printf("  p95 wait by year of submission\n");
    std::printf("  %-36s", "tenant / class");
    for (const double y : years) std::printf(" %8.0f", y);
    std::printf("\n");
    std::vector<double> horizon_submitted(n, 0.0);
    for (std::size_t y = 0; y < years.size(); ++y) {
        for (std::size_t g = 0; g < n; ++g) horizon_submitted[g] += submitted[y * n + g];
    }
    for (const std::size_t g : shown_groups(groups, horizon_submitted)) {
        std::printf("  %-36s", groups[g].c_str());
        for (std::size_t y = 0; y < years.size(); ++y) std::printf(" %8s", duration(p95[y * n + g]).c_str());
        std::printf("\n");
    }
}

void print_scenario(const io::ResultsReader& r) {
    const std::string currency = text(r, "/", "currency");
    std::printf("  scenario     %s (%s)\n", text(r, "/", "scenario").c_str(), text(r, "/", "source").c_str());
    std::printf("  horizon      %s to %s\n", text(r, "/", "start").c_str(), text(r, "/", "end").c_str());
    std::printf("  energy       %s MWh facility (%s MWh IT), electricity %s %s, carbon %s t CO2e\n",
                human(number(r, "total_energy_mwh")).c_str(), human(number(r, "total_it_energy_mwh")).c_str(),
                human(number(r, "total_energy_cost")).c_str(), currency.c_str(), human(number(r, "total_carbon_t")).c_str());
    const double capex = number(r, "total_capex_hardware") + number(r, "total_capex_facility");
    std::printf("  money        capex %s %s (hardware %s, facility %s), depreciation %s %s\n", human(capex).c_str(),
                currency.c_str(), human(number(r, "total_capex_hardware")).c_str(),
                human(number(r, "total_capex_facility")).c_str(), human(number(r, "total_depreciation")).c_str(),
                currency.c_str());
    std::printf("  cost         %s %s: capex and electricity over the horizon\n",
                human(capex + number(r, "total_energy_cost")).c_str(), currency.c_str());
    std::printf("  GPUs         %s installed and %s powered at the end, %s GPU-hours stranded\n",
                human(number(r, "gpus_installed_at_end")).c_str(), human(number(r, "gpus_powered_at_end")).c_str(),
                human(number(r, "gpu_hours_stranded")).c_str());
    if (r.number_attribute("/", "nodes_powered_at_end")) {
        std::printf("  powered      %s nodes, %s PFLOP/s dense BF16 peak at the end\n",
                    human(number(r, "nodes_powered_at_end")).c_str(), human(number(r, "peak_pflops_powered_at_end")).c_str());
    }
    if (r.has("/sites/site")) {
        const auto sites = r.strings("/sites/site");
        const auto energy = r.doubles("/sites/total_energy_mwh");
        const auto cost = r.doubles("/sites/total_energy_cost");
        const auto carbon = r.doubles("/sites/total_carbon_t");
        const auto peak = r.doubles("/sites/peak_facility_power_mw");
        const auto stranded = r.doubles("/sites/gpu_hours_stranded");
        const auto nodes = doubles_or_nan(r, "/sites/nodes_powered_at_end", sites.size());
        const auto pflops = doubles_or_nan(r, "/sites/peak_pflops_powered_at_end", sites.size());
        std::printf("  %-14s %14s %16s %14s %10s %16s %10s %10s\n", "site", "energy MWh", ("cost " + currency).c_str(),
                    "carbon t", "peak MW", "stranded GPU-h", "nodes", "PFLOP/s");
        for (std::size_t i = 0; i < sites.size(); ++i) {
            std::printf("  %-14s %14s %16s %14s %10s %16s %10s %10s\n", sites[i].c_str(), human(energy[i]).c_str(),
                        human(cost[i]).c_str(), human(carbon[i]).c_str(), human(peak[i]).c_str(), human(stranded[i]).c_str(),
                        human_or_dash(nodes[i]).c_str(), human_or_dash(pflops[i]).c_str());
        }
    }
    if (r.has("/summary/group")) {
        print_service(r);
        print_waits_by_year(r);
        print_failures(r);
    }
}

/// What distinguishes each sweep point: "key=value, ..." from the swept keys' coordinates.
std::vector<std::string> point_settings(const io::ResultsReader& r, std::size_t points) {
    const std::vector<std::string> keys = split_lines(r.string_attribute("/", "swept_keys").value_or(""));
    std::vector<std::string> out(points);
    for (const auto& key : keys) {
        const std::string dataset = "/totals/" + key;
        if (!r.has(dataset)) continue;
        std::vector<std::string> values;
        try {
            values = r.strings(dataset);
        } catch (const Error&) {
            for (const double v : r.doubles(dataset)) values.push_back(human(v));
        }
        for (std::size_t p = 0; p < points && p < values.size(); ++p) {
            out[p] += (out[p].empty() ? "" : ", ") + key + "=" + values[p];
        }
    }
    return out;
}

/// Statistics of a study file: variables of `stats/...` with the point and statistic axes first.
struct StudyStats {
    static constexpr std::size_t statistics = 9; // mean, std, ci95_low, ci95_high, p5, p10, p50, p90, p95
    static constexpr std::size_t mean = 0, ci95_low = 2, ci95_high = 3;
};

/// "mean ±half-width of the 95 % confidence interval", or the mean alone with one replication.
std::string mean_and_interval(const std::vector<double>& v, std::size_t p) {
    const std::size_t at = p * StudyStats::statistics;
    const double m = v[at + StudyStats::mean];
    const double half = (v[at + StudyStats::ci95_high] - v[at + StudyStats::ci95_low]) / 2;
    if (!std::isfinite(half) || half == 0) return human_or_dash(m);
    return human_or_dash(m) + " ±" + human(half);
}

/// The groups to show in a study: those with jobs at some point.
std::vector<std::size_t> study_groups(const io::ResultsReader& r, std::size_t points) {
    const auto groups = r.strings("/stats/summary/group");
    const auto submitted = r.doubles("/stats/summary/submitted");
    std::vector<double> any(groups.size(), 0.0);
    for (std::size_t p = 0; p < points; ++p) {
        for (std::size_t g = 0; g < groups.size(); ++g) {
            any[g] = std::max(any[g], submitted[(p * StudyStats::statistics + StudyStats::mean) * groups.size() + g]);
        }
    }
    return shown_groups(groups, any);
}

/// One table of a per-group figure (rows) by sweep point (columns, a few at a time).
template <typename Cell>
void print_by_point(const char* title, const std::vector<std::string>& rows, std::size_t points, std::size_t width,
                    Cell cell) {
    std::printf("  %s\n", title);
    const std::size_t per_table = std::max<std::size_t>(1, 96 / (width + 1));
    for (std::size_t first = 0; first < points; first += per_table) {
        const std::size_t last = std::min(points, first + per_table);
        std::printf("  %-36s", "");
        for (std::size_t p = first; p < last; ++p) std::printf(" %*s", static_cast<int>(width), ("point " + std::to_string(p)).c_str());
        std::printf("\n");
        for (std::size_t row = 0; row < rows.size(); ++row) {
            std::printf("  %-36s", rows[row].c_str());
            for (std::size_t p = first; p < last; ++p) std::printf(" %*s", static_cast<int>(width), cell(row, p).c_str());
            std::printf("\n");
        }
    }
}

/// Waits, shares with demand and the p95 by year, per sweep point, as means over the replications.
void print_study_service(const io::ResultsReader& r, std::size_t points) {
    const auto groups = r.strings("/stats/summary/group");
    const std::size_t n = groups.size();
    const auto shown = study_groups(r, points);
    std::vector<std::string> names;
    for (const std::size_t g : shown) names.push_back(groups[g]);
    auto at = [&](const std::vector<double>& v, std::size_t p, std::size_t g) {
        return v[(p * StudyStats::statistics + StudyStats::mean) * n + g];
    };
    const auto p95 = r.doubles("/stats/summary/wait_p95_s");
    print_by_point("p95 wait, mean over replications (jobs still waiting at the end count with their wait so far)",
                   names, points, 9, [&](std::size_t row, std::size_t p) { return duration(at(p95, p, shown[row])); });
    const auto mean = r.doubles("/stats/summary/wait_mean_s");
    print_by_point("mean wait, mean over replications", names, points, 9,
                   [&](std::size_t row, std::size_t p) { return duration(at(mean, p, shown[row])); });

    if (r.has("/stats/summary/share_shortfall_gpu_hours")) {
        std::vector<std::size_t> tenants;
        std::vector<std::string> tenant_names;
        const auto entitled = r.doubles("/stats/summary/entitled_share");
        for (std::size_t g = 0; g < n; ++g) {
            if (!is_tenant_group(groups[g])) continue;
            tenants.push_back(g);
            tenant_names.push_back(groups[g] + " (" + number_or_dash(100 * at(entitled, 0, g), "%.0f%%") + ")");
        }
        const auto share = r.doubles("/stats/summary/delivered_share");
        const auto demand = r.doubles("/stats/summary/demand_gpu_hours");
        const auto shortfall = r.doubles("/stats/summary/share_shortfall_gpu_hours");
        print_by_point("delivered share (entitled), mean over replications", tenant_names, points, 12,
                       [&](std::size_t row, std::size_t p) { return number_or_dash(100 * at(share, p, tenants[row]), "%.1f%%"); });
        print_by_point("GPU-hours asked for, mean over replications", tenant_names, points, 12,
                       [&](std::size_t row, std::size_t p) { return human_or_dash(at(demand, p, tenants[row])); });
        print_by_point("share shortfall GPU-h (below the share and below what was asked), mean over replications",
                       tenant_names, points, 12,
                       [&](std::size_t row, std::size_t p) { return human_or_dash(at(shortfall, p, tenants[row])); });
    }

    const auto all_at = std::find(groups.begin(), groups.end(), "all");
    if (r.has("/stats/summary_by_year/year") && all_at != groups.end()) {
        const auto years = r.doubles("/stats/summary_by_year/year");
        const auto by_year = r.doubles("/stats/summary_by_year/wait_p95_s");
        const auto all = static_cast<std::size_t>(all_at - groups.begin());
        std::printf("  p95 wait of all jobs by year of submission, mean over replications\n");
        std::printf("  %-6s", "point");
        for (const double y : years) std::printf(" %8.0f", y);
        std::printf("\n");
        for (std::size_t p = 0; p < points; ++p) {
            std::printf("  %-6zu", p);
            for (std::size_t y = 0; y < years.size(); ++y) {
                const std::size_t index = ((p * StudyStats::statistics + StudyStats::mean) * years.size() + y) * n + all;
                std::printf(" %8s", duration(by_year[index]).c_str());
            }
            std::printf("\n");
        }
    }
}

/// A study: per sweep point, the mean and 95 % confidence interval of the key totals across
/// replications, then waits and shares.
void print_study(const io::ResultsReader& r) {
    const std::string currency = text(r, "/", "currency");
    const auto points = static_cast<std::size_t>(number(r, "points"));
    const auto replications = static_cast<std::size_t>(number(r, "replications"));
    std::printf("  scenario     %s (%s)\n", text(r, "/", "scenario").c_str(), text(r, "/", "source").c_str());
    std::printf("  horizon      %s to %s\n", text(r, "/", "start").c_str(), text(r, "/", "end").c_str());
    std::printf("  study        %s x %s; this file holds %s\n", plural(points, "point").c_str(),
                plural(replications, "replication").c_str(), plural(static_cast<std::size_t>(number(r, "runs")), "run").c_str());
    const std::string shard = text(r, "/", "shard");
    if (!shard.empty()) {
        std::printf("  shard        %s: combine the shards with 'capsim merge' for the statistics\n", shard.c_str());
        return;
    }
    if (!r.has("/stats/totals")) {
        std::printf("  statistics   none in this file (output.replications: raw)\n");
        return;
    }
    const auto settings = point_settings(r, points);
    for (std::size_t p = 0; p < points; ++p) {
        if (!settings[p].empty()) std::printf("  point %-5zu %s\n", p, settings[p].c_str());
    }
    struct Column {
        const char* variable;
        std::string title;
    };
    std::vector<Column> columns = {{"total_cost", "cost " + currency},
                                   {"total_energy_mwh", "energy MWh"},
                                   {"total_carbon_t", "carbon t"},
                                   {"gpu_hours_stranded", "stranded GPU-h"},
                                   {"nodes_powered_at_end", "nodes at end"},
                                   {"peak_pflops_powered_at_end", "PFLOP/s at end"}};
    if (r.has("/stats/totals/jobs_completed")) columns.push_back({"jobs_completed", "jobs done"});
    std::erase_if(columns, [&](const Column& c) { return !r.has(std::string("/stats/totals/") + c.variable); });
    std::printf("  mean over replications, +- half the 95 %% confidence interval of the mean\n");
    std::printf("  %-6s", "point");
    for (const auto& c : columns) std::printf(" %24s", c.title.c_str());
    std::printf("\n");
    std::vector<std::vector<double>> values;
    for (const auto& c : columns) values.push_back(r.doubles(std::string("/stats/totals/") + c.variable));
    for (std::size_t p = 0; p < points; ++p) {
        std::printf("  %-6zu", p);
        for (const auto& v : values) std::printf(" %24s", mean_and_interval(v, p).c_str());
        std::printf("\n");
    }
    if (r.has("/stats/totals/total_capex_hardware")) {
        const auto hardware = r.doubles("/stats/totals/total_capex_hardware");
        const auto facility = r.doubles("/stats/totals/total_capex_facility");
        std::printf("  capex (%s) by point:", currency.c_str());
        for (std::size_t p = 0; p < points; ++p) {
            const std::size_t at = p * StudyStats::statistics + StudyStats::mean;
            std::printf(" %s", human(hardware[at] + facility[at]).c_str());
        }
        std::printf("\n");
    }
    if (r.has("/stats/summary/group")) print_study_service(r, points);
}

} // namespace

void print_results_summary(const std::string& path) {
    const io::ResultsReader reader(path);
    const std::string title = reader.string_attribute("/", "title").value_or("");
    if (title.rfind("capsim", 0) != 0) {
        throw IoError("'" + path + "' is not a capsim results file (no capsim title attribute)");
    }
    if (title == "capsim trace replay") {
        print_replay(reader);
    } else if (title.rfind("capsim plan", 0) == 0) {
        print_plan_summary(reader);
    } else if (title.rfind("capsim study", 0) == 0) {
        print_study(reader);
    } else {
        print_scenario(reader);
    }
}

CLI::App* add_summary_command(CLI::App& app, SummaryCommandOptions& options) {
    CLI::App* command = app.add_subcommand("summary", "Print the key numbers of a capsim results file (HDF5)");
    command->add_option("results", options.results, "Results file written by 'capsim run' or 'capsim replay'")->required();
    return command;
}

void run_summary_command(const SummaryCommandOptions& options) {
    {
        const io::ResultsReader reader(options.results); // checks that it opens before the title line
    }
    std::printf("capsim summary: %s\n", options.results.c_str());
    print_results_summary(options.results);
}

} // namespace capsim::cli
