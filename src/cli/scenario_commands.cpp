#include "scenario_commands.hpp"

#include <cstdio>
#include <memory>

#include "capsim/infra/infrastructure_model.hpp"
#include "capsim/io/atomic_output.hpp"
#include "capsim/io/scenario_writer.hpp"
#include "capsim/scenario/scenario_loader.hpp"
#include "capsim/util/calendar.hpp"

namespace capsim::cli {
namespace {

void add_set_option(CLI::App* command, std::vector<std::string>& overrides) {
    command->add_option("--set", overrides,
                        "Override a scenario value: key.path=value, e.g. --set sites[1].grid=40MW (repeatable)")
        ->take_all();
}

std::string describe_horizon(const scenario::Scenario& s) {
    return format_date(s.start_s) + " to " + format_date(s.end_s - 1);
}

void print_run_summary(const scenario::Scenario& s, const infra::InfrastructureResult& r) {
    const std::string& cur = s.currency.code;
    std::printf("capsim run: %s (%s)\n", s.name.c_str(), s.source.c_str());
    std::printf("  horizon      %s, %zu output steps of %.0f h, %zu sites, %zu orders\n", describe_horizon(s).c_str(),
                r.steps(), s.timestep_s / 3600.0, s.sites.size(), s.buildout.size());
    infra::SiteTotals all;
    for (std::size_t i = 0; i < r.sites.size(); ++i) {
        const infra::SiteTotals& t = r.totals[i];
        std::printf("  site %-12s %6.0f GPUs installed at the end, %6.0f powered; %10.0f GPU-hours stranded\n",
                    r.sites[i].c_str(), t.gpus_installed_at_end, t.gpus_powered_at_end, t.gpu_hours_stranded);
        std::printf("  %-17s energy %10.1f MWh, cost %12.0f %s, carbon %9.1f t, peak %.2f MW\n", "",
                    t.facility_energy_mwh, t.energy_cost, cur.c_str(), t.carbon_t, t.facility_power_peak_w / 1e6);
        all.facility_energy_mwh += t.facility_energy_mwh;
        all.energy_cost += t.energy_cost;
        all.carbon_t += t.carbon_t;
        all.capex_hardware += t.capex_hardware;
        all.capex_facility += t.capex_facility;
        all.depreciation += t.depreciation;
    }
    std::printf("  total        energy %.1f MWh, electricity %.0f %s, carbon %.1f t CO2e\n", all.facility_energy_mwh,
                all.energy_cost, cur.c_str(), all.carbon_t);
    std::printf("               capex %.0f %s (hardware %.0f, facility %.0f), depreciation %.0f %s\n",
                all.capex_hardware + all.capex_facility, cur.c_str(), all.capex_hardware, all.capex_facility,
                all.depreciation, cur.c_str());
    std::printf("  simulated    in %.3f s (%llu events)\n", r.wall_time_s, static_cast<unsigned long long>(r.events));
}

} // namespace

CLI::App* add_run_command(CLI::App& app, RunCommandOptions& options) {
    CLI::App* command = app.add_subcommand("run", "Simulate a scenario file and write its results (HDF5)");
    command->add_option("scenario", options.scenario, "Scenario file (YAML)")->required();
    command->add_option("-o,--output", options.output, "Write the results to this HDF5 file");
    command->add_flag("--force", options.force, "Overwrite the output file if it exists");
    add_set_option(command, options.overrides);
    return command;
}

void run_run_command(const RunCommandOptions& options) {
    std::unique_ptr<io::AtomicOutput> output;
    if (!options.output.empty()) output = std::make_unique<io::AtomicOutput>(options.output, options.force);
    const scenario::Scenario s = scenario::load_scenario(options.scenario, options.overrides);
    const infra::InfrastructureResult result = infra::simulate_infrastructure(s);
    if (output) {
        io::write_scenario_results(output->temp_path(), s, result);
        output->commit();
    }
    print_run_summary(s, result);
    if (output) std::printf("  results      %s\n", output->final_path().c_str());
}

CLI::App* add_validate_command(CLI::App& app, ValidateCommandOptions& options) {
    CLI::App* command = app.add_subcommand("validate", "Check a scenario file and report every problem in it");
    command->add_option("scenario", options.scenario, "Scenario file (YAML)")->required();
    add_set_option(command, options.overrides);
    return command;
}

void run_validate_command(const ValidateCommandOptions& options) {
    const scenario::Scenario s = scenario::load_scenario(options.scenario, options.overrides);
    std::printf("%s: ok: '%s', %s, %zu sites, %zu orders\n", options.scenario.c_str(), s.name.c_str(),
                describe_horizon(s).c_str(), s.sites.size(), s.buildout.size());
}

} // namespace capsim::cli
