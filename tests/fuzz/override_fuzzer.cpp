// `--set` overrides (one per input line) applied to a small valid study: key paths, indices,
// YAML values and sweep lists, each parsed and then validated with the rest of the file.
#include <string>
#include <vector>

#include "capsim/scenario/study.hpp"
#include "fuzz_support.hpp"

namespace {

constexpr const char* base_study = R"(
name: override base
start: 2026-01-01
end: 2026-03-01
seed: 1
replications: 2
sites:
  - {name: lab, grid: [{from: 2026-01-01, capacity: 1 MW}], pue: 1.2, electricity: 100 USD/MWh, carbon: 300 g/kWh}
buildout:
  - {site: lab, node: hgx-h100, count: 2, ordered: 2026-01-01}
tenants:
  - {name: a, share: 0.5}
  - {name: b, share: 0.5}
workloads:
  - {name: a-jobs, tenant: a, class: research, arrivals: {rate: 30/day}, gpus: {choice: [1, 4, 8]},
     duration: {exponential: {mean: 2h}}}
  - {name: b-jobs, tenant: b, class: research, arrivals: {rate: 10/day}, gpus: 8, duration: 3h}
sweep:
  workloads[1].arrivals.rate: [5/day, 20/day]
)";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> overrides;
    std::string_view text = capsim::fuzz::as_text(data, size);
    while (!text.empty() && overrides.size() < 8) {
        const std::size_t end = text.find('\n');
        overrides.emplace_back(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    }
    capsim::fuzz::expect_clean_outcome([&] {
        (void)capsim::scenario::parse_study(base_study, "base.yaml", overrides, capsim::fuzz::scratch_directory());
    });
    return 0;
}
