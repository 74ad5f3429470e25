#include "summary_command.hpp"

#include <cstdio>
#include <algorithm>
#include <limits>
#include <vector>

#include "capsim/io/results_reader.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/strings.hpp"
#include "format.hpp"

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

void print_scenario(const io::ResultsReader& r) {
    const std::string currency = text(r, "/", "currency");
    std::printf("  scenario     %s (%s)\n", text(r, "/", "scenario").c_str(), text(r, "/", "source").c_str());
    std::printf("  horizon      %s to %s\n", text(r, "/", "start").c_str(), text(r, "/", "end").c_str());
    std::printf("  energy       %s MWh facility (%s MWh IT), electricity %s %s, carbon %s t CO2e\n",
                human(number(r, "total_energy_mwh")).c_str(), human(number(r, "total_it_energy_mwh")).c_str(),
                human(number(r, "total_energy_cost")).c_str(), currency.c_str(), human(number(r, "total_carbon_t")).c_str());
    std::printf("  money        capex %s %s (hardware %s, facility %s), depreciation %s %s\n",
                human(number(r, "total_capex_hardware") + number(r, "total_capex_facility")).c_str(), currency.c_str(),
                human(number(r, "total_capex_hardware")).c_str(), human(number(r, "total_capex_facility")).c_str(),
                human(number(r, "total_depreciation")).c_str(), currency.c_str());
    std::printf("  GPUs         %s installed and %s powered at the end, %s GPU-hours stranded\n",
                human(number(r, "gpus_installed_at_end")).c_str(), human(number(r, "gpus_powered_at_end")).c_str(),
                human(number(r, "gpu_hours_stranded")).c_str());
    if (r.has("/sites/site")) {
        const auto sites = r.strings("/sites/site");
        const auto energy = r.doubles("/sites/total_energy_mwh");
        const auto cost = r.doubles("/sites/total_energy_cost");
        const auto carbon = r.doubles("/sites/total_carbon_t");
        const auto peak = r.doubles("/sites/peak_facility_power_mw");
        const auto stranded = r.doubles("/sites/gpu_hours_stranded");
        std::printf("  %-14s %14s %16s %14s %10s %16s\n", "site", "energy MWh", ("cost " + currency).c_str(), "carbon t",
                    "peak MW", "stranded GPU-h");
        for (std::size_t i = 0; i < sites.size(); ++i) {
            std::printf("  %-14s %14s %16s %14s %10s %16s\n", sites[i].c_str(), human(energy[i]).c_str(),
                        human(cost[i]).c_str(), human(carbon[i]).c_str(), human(peak[i]).c_str(), human(stranded[i]).c_str());
        }
    }
    if (r.has("/summary/group")) {
        std::printf("  jobs         %s submitted, %s completed, %s rejected, %s preemptions\n", human(number(r, "jobs")).c_str(),
                    human(number(r, "jobs_completed")).c_str(), human(number(r, "jobs_rejected")).c_str(),
                    human(number(r, "preemptions")).c_str());
        const auto groups = r.strings("/summary/group");
        const auto submitted = r.doubles("/summary/submitted");
        const auto completed = r.doubles("/summary/completed");
        const auto rejected = r.doubles("/summary/rejected");
        const auto delivered = r.doubles("/summary/delivered_gpu_hours");
        const auto share = r.doubles("/summary/delivered_share");
        const auto entitled = r.doubles("/summary/entitled_share");
        const auto wait = r.doubles("/summary/wait_mean_s");
        const auto p95 = r.doubles("/summary/wait_p95_s");
        const auto bsld = r.doubles("/summary/bounded_slowdown_mean");
        std::printf("  %-36s %10s %10s %9s %12s %8s %9s %10s %10s %7s\n", "tenant / class", "jobs", "done", "rejected",
                    "GPU-hours", "share", "entitled", "wait mean", "wait p95", "bsld");
        for (std::size_t i = 0; i < groups.size(); ++i) {
            if (is_empty_tenant_class(groups[i], submitted[i])) continue;
            std::printf("  %-36s %10s %10s %9s %12s %8s %9s %10s %10s %7s\n", groups[i].c_str(), human(submitted[i]).c_str(),
                        human(completed[i]).c_str(), human(rejected[i]).c_str(), number_or_dash(delivered[i], "%.0f").c_str(),
                        number_or_dash(100 * share[i], "%.1f%%").c_str(), number_or_dash(100 * entitled[i], "%.1f%%").c_str(),
                        duration(wait[i]).c_str(), duration(p95[i]).c_str(), number_or_dash(bsld[i], "%.2f").c_str());
        }
        print_failures(r);
    }
}

/// A study: per sweep point, the mean and 95 % confidence interval of the key totals across replications.
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
    const std::vector<std::string> keys = split_lines(r.string_attribute("/", "swept_keys").value_or(""));
    struct Column {
        const char* variable;
        std::string title;
    };
    std::vector<Column> columns = {{"total_energy_mwh", "energy MWh"},
                                   {"total_energy_cost", "cost " + currency},
                                   {"total_carbon_t", "carbon t"},
                                   {"gpu_hours_stranded", "stranded GPU-h"}};
    if (r.has("/stats/totals/jobs_completed")) columns.push_back({"jobs_completed", "jobs done"});
    std::printf("  mean over replications [95 %% confidence interval of the mean]\n");
    std::printf("  %-6s", "point");
    for (const auto& c : columns) std::printf(" %28s", c.title.c_str());
    std::printf("\n");
    const std::size_t stats = 9; // mean, std, ci95_low, ci95_high, ...
    std::vector<std::vector<double>> values;
    for (const auto& c : columns) values.push_back(r.doubles(std::string("/stats/totals/") + c.variable));
    for (std::size_t p = 0; p < points; ++p) {
        std::printf("  %-6zu", p);
        for (const auto& v : values) {
            const std::string cell = human(v[p * stats]) + " [" + human(v[p * stats + 2]) + ", " + human(v[p * stats + 3]) + "]";
            std::printf(" %28s", cell.c_str());
        }
        std::string settings;
        for (const auto& key : keys) {
            const std::string dataset = "/totals/" + key;
            if (!r.has(dataset)) continue;
            std::string value;
            try {
                value = r.strings(dataset).at(p);
            } catch (const Error&) {
                value = human(r.doubles(dataset).at(p));
            }
            settings += (settings.empty() ? "" : ", ") + key + "=" + value;
        }
        std::printf("%s%s\n", settings.empty() ? "" : "  ", settings.c_str());
    }
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
