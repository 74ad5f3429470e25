#include "capsim/infra/hardware_catalog.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "capsim/util/strings.hpp"

namespace capsim::infra {
namespace {

// Assumption, not from a source: the GPUs are about 80 % of an AI server's price, so a node costs
// its GPUs x 1.25. The GB200 NVL72 rack has its own price (about 3 M USD) and does not use this.
constexpr double node_price_per_gpu_price = 1.25;

GpuSpec gpu_spec(std::string name, double peak_bf16_tflops, double hbm_gb, double tdp_w, int release_year,
                 int release_month, double price_usd) {
    GpuSpec gpu;
    gpu.name = std::move(name);
    gpu.peak_bf16_flops = peak_bf16_tflops * 1e12;
    gpu.hbm_gb = hbm_gb;
    gpu.tdp_w = tdp_w;
    gpu.idle_w = default_idle_w(tdp_w);
    gpu.release_year = release_year;
    gpu.release_month = release_month;
    gpu.price = price_usd;
    return gpu;
}

// A node whose overhead is what its maximum power leaves after the GPUs at TDP.
NodeType node_type(std::string name, const GpuSpec& gpu, int gpus, double node_max_power_w, double price_usd) {
    NodeType node;
    node.name = std::move(name);
    node.gpu = gpu.name;
    node.gpus = gpus;
    node.overhead_w = node_max_power_w - gpus * gpu.tdp_w;
    node.price = price_usd;
    return node;
}

double server_price_usd(const GpuSpec& gpu, int gpus) { return gpus * gpu.price * node_price_per_gpu_price; }

// False for NaN too, which a plain `x < 0` test would let through.
bool finite_non_negative(double x) { return std::isfinite(x) && x >= 0; }

std::string unknown_gpu_message(const NodeType& node, const std::vector<std::string>& gpu_names) {
    std::string message = "node type '" + node.name + "': GPU '" + node.gpu + "' is not in the catalog";
    if (gpu_names.empty()) return message + " (it has no GPUs)";
    message += ", expected " + join_alternatives(gpu_names);
    if (auto near = nearest_name(node.gpu, gpu_names)) message += "; did you mean '" + *near + "'?";
    return message;
}

// For const and non-const vectors alike: a pointer of matching constness.
template <typename Entries>
auto* find_by_name(Entries& entries, std::string_view name) {
    const auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.name == name; });
    return it == entries.end() ? nullptr : &*it;
}

template <typename Entry>
void set_by_name(std::vector<Entry>& entries, Entry entry) {
    if (auto* existing = find_by_name(entries, entry.name)) {
        *existing = std::move(entry); // in place, so the listing order stays stable
    } else {
        entries.push_back(std::move(entry));
    }
}

} // namespace

double node_max_power_w(const NodeType& node, const GpuSpec& gpu) { return node.gpus * gpu.tdp_w + node.overhead_w; }

double node_peak_bf16_flops(const NodeType& node, const GpuSpec& gpu) { return node.gpus * gpu.peak_bf16_flops; }

HardwareCatalog HardwareCatalog::built_in() {
    // NVIDIA and AMD datasheets, DGX user guides, Epoch AI hardware and price data. BF16 is dense.
    // Release month: where the table gives a year or "late YYYY", the month of general availability
    // (A100 2020-05, H100 2022-10, H200 2024-11, B200 2025-03, GB200 2025-06, MI300X 2023-12).
    // Price: the middle of the table's range (A100 $15-19k, H100 $30-40k, H200 $34-39k, MI300X $15-26k);
    // B200 ~$47k; GB200 is the ~$3M NVL72 rack over its 72 GPUs, so it includes the Grace CPUs and switches.
    // Arguments: name, BF16 TFLOP/s, HBM GB, TDP W, release year and month, price USD.
    // A100 is the SXM 80 GB part, H100 and H200 the SXM ones; B200's 180 GB is DGX B200's 1,440 GB / 8.
    const GpuSpec a100 = gpu_spec("A100", 312, 80, 400, 2020, 5, 17'000);
    const GpuSpec h100 = gpu_spec("H100", 989, 80, 700, 2022, 10, 35'000);
    const GpuSpec h200 = gpu_spec("H200", 989, 141, 700, 2024, 11, 36'500);
    const GpuSpec b200 = gpu_spec("B200", 2250, 180, 1000, 2025, 3, 47'000);
    const GpuSpec gb200 = gpu_spec("GB200", 2500, 186, 1200, 2025, 6, 3'000'000.0 / 72);
    const GpuSpec mi300x = gpu_spec("MI300X", 1307, 192, 750, 2023, 12, 20'500);

    HardwareCatalog catalog;
    for (const GpuSpec& gpu : {a100, h100, h200, b200, gb200, mi300x}) catalog.set_gpu(gpu);

    // Node maximum power from the DGX user guides: DGX A100 6.5 kW, DGX H100 10.2 kW, H200 node ~10.2 kW, DGX B200
    // 14.3 kW, GB200 NVL72 ~120-132 kW a rack (the upper figure: capacity planning sizes for the maximum).
    // The HGX boards carry the same GPUs as the DGX systems, so they get the DGX power figures.
    catalog.set_node(node_type("hgx-a100", a100, 8, 6'500, server_price_usd(a100, 8)));  // overhead 3,300 W
    catalog.set_node(node_type("hgx-h100", h100, 8, 10'200, server_price_usd(h100, 8))); // overhead 4,600 W
    catalog.set_node(node_type("hgx-h200", h200, 8, 10'200, server_price_usd(h200, 8))); // overhead 4,600 W
    catalog.set_node(node_type("hgx-b200", b200, 8, 14'300, server_price_usd(b200, 8))); // overhead 6,300 W
    catalog.set_node(node_type("gb200-nvl72", gb200, 72, 132'000, 3'000'000));           // overhead 45,600 W
    // Assumption: no source here gives an MI300X node power; an 8-GPU MI300X server is taken to have the
    // H100 node's non-GPU overhead (similar CPUs, fans and NICs).
    const double mi300x_overhead_w = 10'200 - 8 * h100.tdp_w;
    catalog.set_node(node_type("mi300x-8", mi300x, 8, 8 * mi300x.tdp_w + mi300x_overhead_w,
                               server_price_usd(mi300x, 8)));
    return catalog;
}

const GpuSpec* HardwareCatalog::find_gpu(std::string_view name) const {
    return find_by_name(gpus_, name);
}

const NodeType* HardwareCatalog::find_node(std::string_view name) const {
    return find_by_name(nodes_, name);
}

void HardwareCatalog::set_gpu(GpuSpec gpu) { set_by_name(gpus_, std::move(gpu)); }

void HardwareCatalog::set_node(NodeType node) { set_by_name(nodes_, std::move(node)); }

std::vector<std::string> HardwareCatalog::gpu_names() const {
    std::vector<std::string> names;
    names.reserve(gpus_.size());
    for (const GpuSpec& gpu : gpus_) names.push_back(gpu.name);
    return names;
}

std::vector<std::string> HardwareCatalog::node_names() const {
    std::vector<std::string> names;
    names.reserve(nodes_.size());
    for (const NodeType& node : nodes_) names.push_back(node.name);
    return names;
}

std::vector<std::string> HardwareCatalog::problems() const {
    std::vector<std::string> found;
    for (const GpuSpec& gpu : gpus_) {
        const std::string what = "GPU '" + gpu.name + "': ";
        if (gpu.name.empty()) found.push_back("a GPU has an empty name");
        if (!finite_non_negative(gpu.peak_bf16_flops)) found.push_back(what + "peak_bf16_flops must be >= 0");
        if (!finite_non_negative(gpu.hbm_gb)) found.push_back(what + "hbm_gb must be >= 0");
        if (!finite_non_negative(gpu.tdp_w)) found.push_back(what + "tdp_w must be >= 0");
        if (!finite_non_negative(gpu.idle_w)) found.push_back(what + "idle_w must be >= 0");
        if (gpu.idle_w > gpu.tdp_w) {
            found.push_back(what + "idle_w (" + std::to_string(gpu.idle_w) + ") exceeds tdp_w (" +
                            std::to_string(gpu.tdp_w) + ")");
        }
        if (gpu.release_month < 1 || gpu.release_month > 12) found.push_back(what + "release_month must be 1-12");
        if (!finite_non_negative(gpu.price)) found.push_back(what + "price must be >= 0");
    }
    const std::vector<std::string> known_gpus = gpu_names();
    for (const NodeType& node : nodes_) {
        const std::string what = "node type '" + node.name + "': ";
        if (node.name.empty()) found.push_back("a node type has an empty name");
        if (find_gpu(node.gpu) == nullptr) found.push_back(unknown_gpu_message(node, known_gpus));
        if (node.gpus <= 0) found.push_back(what + "gpus must be > 0, not " + std::to_string(node.gpus));
        if (!finite_non_negative(node.overhead_w)) found.push_back(what + "overhead_w must be >= 0");
        if (!finite_non_negative(node.price)) found.push_back(what + "price must be >= 0");
    }
    return found;
}

} // namespace capsim::infra
