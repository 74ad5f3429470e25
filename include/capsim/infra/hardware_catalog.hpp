#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace capsim::infra {

/// One GPU model: dense BF16 throughput, memory, power envelope, release and price. The built-in
/// figures come from vendor datasheets, DGX user guides and Epoch AI's hardware data.
struct GpuSpec {
    std::string name;           // "H100"
    double peak_bf16_flops = 0; // dense (no sparsity), per second: 989e12 for H100
    double hbm_gb = 0;
    double tdp_w = 0;  // maximum board power
    double idle_w = 0; // drawn with no work: 10-15 % of TDP
    int release_year = 0;
    int release_month = 0; // 1-12; generation order: the newer model has the later release
    double price = 0;      // per GPU: USD in the built-in catalog, the scenario currency once loaded
};

/// An idle GPU draws 10-15 % of its TDP (measurements on A100 nodes); no source gives a per-model
/// figure, so the middle. The built-in GPUs and a scenario's GPUs that give no idle power use it.
inline constexpr double idle_fraction_of_tdp = 0.125;

/// The idle power of a GPU of TDP `tdp_w` that states none.
constexpr double default_idle_w(double tdp_w) { return idle_fraction_of_tdp * tdp_w; }

/// A node (server or rack) type: `gpus` GPUs of one model plus the load-independent non-GPU power
/// (CPUs, fans, NICs, switches) and the price of the whole node.
struct NodeType {
    std::string name; // "hgx-h100"
    std::string gpu;  // a GpuSpec name
    int gpus = 0;
    double overhead_w = 0; // non-GPU power, independent of load
    double price = 0;      // whole node: USD in the built-in catalog, the scenario currency once loaded
};

/// The node's power with every GPU at TDP: gpus x tdp + overhead.
double node_max_power_w(const NodeType& node, const GpuSpec& gpu);

/// The node's dense BF16 throughput: gpus x the GPU's peak, per second.
double node_peak_bf16_flops(const NodeType& node, const GpuSpec& gpu);

/// The GPU models and node types a scenario can name. `built_in()` holds the common AI accelerators;
/// a scenario may add entries or replace them by name.
class HardwareCatalog {
public:
    /// A100, H100, H200, B200, GB200, MI300X and their 8-GPU nodes (a 72-GPU rack for GB200).
    static HardwareCatalog built_in();

    /// The entry of that exact name, or nullptr.
    const GpuSpec* find_gpu(std::string_view name) const;
    const NodeType* find_node(std::string_view name) const;

    /// Adds the entry, or replaces the one of the same name in its place.
    void set_gpu(GpuSpec gpu);
    void set_node(NodeType node);

    /// Entries in insertion order.
    const std::vector<GpuSpec>& gpus() const { return gpus_; }
    const std::vector<NodeType>& nodes() const { return nodes_; }

    /// Names in insertion order, for "did you mean" and for listing what is accepted.
    std::vector<std::string> gpu_names() const;
    std::vector<std::string> node_names() const;

    /// Consistency problems, one message each (empty: none): names present, every node's GPU in
    /// the catalog, gpus > 0, powers, prices and throughput finite and >= 0, idle <= TDP, a month 1-12.
    std::vector<std::string> problems() const;

private:
    std::vector<GpuSpec> gpus_;
    std::vector<NodeType> nodes_;
};

} // namespace capsim::infra
