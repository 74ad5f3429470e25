// Every CSV reader, each through the scenario key that names it: a site's profile, an empirical
// distribution, a CSV job trace and a failure trace. The first byte picks the reader; the rest is
// the file.
#include <string>

#include "capsim/scenario/study.hpp"
#include "fuzz_support.hpp"

namespace {

constexpr const char* scenario_head = R"(
name: csv reader
start: 2026-01-01
end: 2026-03-01
sites:
  - name: lab
    grid: 1 MW
    pue: 1.2
    electricity: 100 USD/MWh
)";

constexpr const char* carbon_profile = "    carbon: {csv: data.csv, column: intensity}\n";
constexpr const char* fixed_carbon = "    carbon: 300 g/kWh\n";
constexpr const char* rest = R"(buildout:
  - {site: lab, node: hgx-h100, count: 2, ordered: 2026-01-01}
tenants:
  - {name: a, share: 1}
)";

constexpr const char* generated_jobs = R"(workloads:
  - {name: jobs, tenant: a, class: research, arrivals: {rate: 5/day}, gpus: 1, duration: 1h}
)";

std::string scenario_for(std::uint8_t reader) {
    std::string text = scenario_head;
    text += reader % 4 == 0 ? carbon_profile : fixed_carbon;
    text += rest;
    switch (reader % 4) {
    case 1:
        text += "workloads:\n  - {name: jobs, tenant: a, class: research, arrivals: {rate: 5/day}, "
                "gpus: {empirical: {csv: data.csv, column: gpus}}, duration: 1h}\n";
        break;
    case 2:
        text += "workloads:\n  - {name: jobs, tenant: a, class: research, "
                "trace: {file: data.csv, format: csv, columns: {submit: submit, gpus: gpus, duration: duration}}}\n";
        break;
    case 3:
        text += generated_jobs;
        text += "failures:\n  - csv: data.csv\n";
        break;
    default:
        text += generated_jobs;
    }
    return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    capsim::fuzz::write_scratch_file("data.csv", capsim::fuzz::as_text(data + 1, size - 1));
    capsim::fuzz::expect_clean_outcome([&] {
        (void)capsim::scenario::parse_study(scenario_for(data[0]), "csv.yaml", {}, capsim::fuzz::scratch_directory());
    });
    return 0;
}
