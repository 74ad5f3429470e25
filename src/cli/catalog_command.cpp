#include "catalog_command.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "capsim/infra/hardware_catalog.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/json_writer.hpp"

namespace capsim::cli {
namespace {

// JsonObject writes one flat object; the catalog is two arrays of them, assembled here.
std::string json_array(const std::vector<std::string>& objects) {
    std::string out = "[";
    for (std::size_t i = 0; i < objects.size(); ++i) {
        if (i > 0) out += ", ";
        out += objects[i];
    }
    return out + "]";
}

const infra::GpuSpec& gpu_of(const infra::HardwareCatalog& catalog, const infra::NodeType& node) {
    const infra::GpuSpec* gpu = catalog.find_gpu(node.gpu);
    if (gpu == nullptr) {
        throw InternalError("built-in node type '" + node.name + "' names unknown GPU '" + node.gpu + "'");
    }
    return *gpu;
}

std::string catalog_json(const infra::HardwareCatalog& catalog) {
    std::vector<std::string> gpus;
    for (const infra::GpuSpec& gpu : catalog.gpus()) {
        JsonObject json;
        json.add("name", gpu.name)
            .add("peak_bf16_flops", gpu.peak_bf16_flops)
            .add("hbm_gb", gpu.hbm_gb)
            .add("tdp_w", gpu.tdp_w)
            .add("idle_w", gpu.idle_w)
            .add("release_year", static_cast<std::int64_t>(gpu.release_year))
            .add("release_month", static_cast<std::int64_t>(gpu.release_month))
            .add("price_usd", gpu.price);
        gpus.push_back(json.str());
    }
    std::vector<std::string> nodes;
    for (const infra::NodeType& node : catalog.nodes()) {
        const infra::GpuSpec& gpu = gpu_of(catalog, node);
        JsonObject json;
        json.add("name", node.name)
            .add("gpu", node.gpu)
            .add("gpus", static_cast<std::int64_t>(node.gpus))
            .add("overhead_w", node.overhead_w)
            .add("max_power_w", infra::node_max_power_w(node, gpu))
            .add("price_usd", node.price)
            .add("peak_bf16_flops", infra::node_peak_bf16_flops(node, gpu));
        nodes.push_back(json.str());
    }
    return "{\"gpus\": " + json_array(gpus) + ", \"nodes\": " + json_array(nodes) + "}";
}

// Whole numbers without decimals, others with one: 87.5 W idle, 41666.7 USD.
std::string number(double x) {
    char buffer[64];
    if (std::abs(x - std::round(x)) < 1e-9) {
        std::snprintf(buffer, sizeof buffer, "%.0f", x);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.1f", x);
    }
    return buffer;
}

std::string year_month(int year, int month) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
    return buffer;
}

// Prints rows under a header, the first column left-aligned (names), the others right-aligned.
void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths(header.size(), 0);
    for (std::size_t c = 0; c < header.size(); ++c) widths[c] = header[c].size();
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
    }
    const auto print_row = [&](const std::vector<std::string>& row) {
        std::string line = "  ";
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string pad(widths[c] - row[c].size(), ' ');
            if (c > 0) line += "  ";
            line += c == 0 ? row[c] + pad : pad + row[c];
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        std::printf("%s\n", line.c_str());
    };
    print_row(header);
    for (const auto& row : rows) print_row(row);
}

void print_human_catalog(const infra::HardwareCatalog& catalog) {
    std::vector<std::vector<std::string>> gpu_rows;
    for (const infra::GpuSpec& gpu : catalog.gpus()) {
        gpu_rows.push_back({gpu.name, number(gpu.peak_bf16_flops / 1e12), number(gpu.hbm_gb), number(gpu.tdp_w),
                            number(gpu.idle_w), year_month(gpu.release_year, gpu.release_month),
                            number(gpu.price)});
    }
    std::printf("GPUs (dense BF16)\n");
    print_table({"name", "BF16 TFLOP/s", "HBM GB", "TDP W", "idle W", "released", "price USD"}, gpu_rows);

    std::vector<std::vector<std::string>> node_rows;
    for (const infra::NodeType& node : catalog.nodes()) {
        const infra::GpuSpec& gpu = gpu_of(catalog, node);
        node_rows.push_back({node.name, node.gpu, std::to_string(node.gpus), number(node.overhead_w),
                             number(infra::node_max_power_w(node, gpu)), number(node.price),
                             number(infra::node_peak_bf16_flops(node, gpu) / 1e12)});
    }
    std::printf("\nNode types (max power = GPUs x TDP + overhead)\n");
    print_table({"name", "GPU", "GPUs", "overhead W", "max power W", "price USD", "BF16 TFLOP/s"}, node_rows);
}

} // namespace

CLI::App* add_catalog_command(CLI::App& app, CatalogCommandOptions& options) {
    CLI::App* command = app.add_subcommand("catalog", "List the built-in GPU models and node types: throughput, "
                                                      "memory, power and price");
    command->add_flag("--json", options.json, "Print the catalog as one JSON object {\"gpus\": [...], "
                                              "\"nodes\": [...]} on stdout");
    return command;
}

void run_catalog_command(const CatalogCommandOptions& options) {
    const infra::HardwareCatalog catalog = infra::HardwareCatalog::built_in();
    // The built-in table is capsim's own data: a problem in it is a bug, not the user's input.
    if (const auto problems = catalog.problems(); !problems.empty()) {
        throw InternalError("built-in hardware catalog: " + problems.front());
    }
    if (options.json) {
        std::cout << catalog_json(catalog) << '\n';
    } else {
        print_human_catalog(catalog);
    }
}

} // namespace capsim::cli
