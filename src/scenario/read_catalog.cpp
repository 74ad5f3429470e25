// The catalog section: GPU models and node types added to the built-in catalog or replacing its
// entries by name, and the conversion of the built-in USD prices into the scenario's currency.
#include "capsim/util/calendar.hpp"
#include "capsim/util/strings.hpp"
#include "diagnostic_messages.hpp"
#include "section_readers.hpp"

namespace capsim::scenario::detail {
namespace {

/// catalog.gpus: a new GPU needs every field but hbm and idle; a built-in one changes only the
/// fields given.
void read_catalog_gpus(SectionContext& context, const YAML::Node& gpus) {
    if (!gpus) return;
    YamlReader& reader = context.reader;
    infra::HardwareCatalog& catalog = context.scenario.catalog;
    if (!gpus.IsMap()) {
        reader.error(gpus, "catalog.gpus", found_instead_of(gpus, "a mapping of GPU names to fields"));
        return;
    }
    for (const auto& entry : gpus) {
        const std::string name = entry.first.Scalar();
        const std::string path = "catalog.gpus." + name;
        const YAML::Node& fields = entry.second;
        if (!reader.check_mapping(fields, path, {"bf16_tflops", "hbm", "tdp", "idle", "released", "price"})) continue;
        const infra::GpuSpec* existing = catalog.find_gpu(name);
        infra::GpuSpec gpu = existing ? *existing : infra::GpuSpec{};
        gpu.name = name;
        const bool is_new = existing == nullptr;
        if (YAML::Node v = reader.child(fields, path, "bf16_tflops", is_new)) {
            if (auto x = reader.number(v, path + ".bf16_tflops", 1e-9, INFINITY)) gpu.peak_bf16_flops = *x * 1e12;
        }
        if (YAML::Node v = reader.child(fields, path, "hbm", false)) {
            if (auto x = reader.number(v, path + ".hbm", 0, INFINITY)) gpu.hbm_gb = *x;
        }
        if (YAML::Node v = reader.child(fields, path, "tdp", is_new)) {
            if (auto x = context.positive(v, path + ".tdp", Dimension::power)) {
                gpu.tdp_w = *x;
                if (!fields["idle"]) gpu.idle_w = infra::default_idle_w(*x);
            }
        }
        if (YAML::Node v = reader.child(fields, path, "idle", false)) {
            if (auto x = context.non_negative(v, path + ".idle", Dimension::power)) {
                if (*x > gpu.tdp_w) {
                    reader.error(v, path + ".idle", YamlReader::found(v) + " is above the TDP of " +
                                                        format_number(gpu.tdp_w) + " W, expected at most the TDP");
                } else {
                    gpu.idle_w = *x;
                }
            }
        }
        if (YAML::Node v = reader.child(fields, path, "released", is_new)) {
            if (auto t = reader.date(v, path + ".released")) {
                const CivilTime c = civil_from_epoch(*t);
                gpu.release_year = c.year;
                gpu.release_month = static_cast<int>(c.month);
            }
        }
        if (YAML::Node v = reader.child(fields, path, "price", is_new)) {
            if (auto x = context.non_negative(v, path + ".price", Dimension::money)) gpu.price = *x;
        }
        catalog.set_gpu(gpu);
    }
}

/// catalog.nodes: a new node type needs every field; a built-in one changes only the fields given.
void read_catalog_nodes(SectionContext& context, const YAML::Node& nodes) {
    if (!nodes) return;
    YamlReader& reader = context.reader;
    infra::HardwareCatalog& catalog = context.scenario.catalog;
    if (!nodes.IsMap()) {
        reader.error(nodes, "catalog.nodes", found_instead_of(nodes, "a mapping of node type names to fields"));
        return;
    }
    for (const auto& entry : nodes) {
        const std::string name = entry.first.Scalar();
        const std::string path = "catalog.nodes." + name;
        const YAML::Node& fields = entry.second;
        if (!reader.check_mapping(fields, path, {"gpu", "gpus", "overhead", "price"})) continue;
        const infra::NodeType* existing = catalog.find_node(name);
        infra::NodeType node = existing ? *existing : infra::NodeType{};
        node.name = name;
        const bool is_new = existing == nullptr;
        if (YAML::Node v = reader.child(fields, path, "gpu", is_new)) {
            if (auto gpu = reader.text(v, path + ".gpu", "a GPU name")) {
                if (!catalog.find_gpu(*gpu)) {
                    reader.error(v, path + ".gpu", unknown_name("GPU", *gpu, catalog.gpu_names()));
                } else {
                    node.gpu = *gpu;
                }
            }
        }
        if (YAML::Node v = reader.child(fields, path, "gpus", is_new)) {
            if (auto x = reader.whole_number(v, path + ".gpus", 1)) node.gpus = static_cast<int>(*x);
        }
        if (YAML::Node v = reader.child(fields, path, "overhead", is_new)) {
            if (auto x = context.non_negative(v, path + ".overhead", Dimension::power)) node.overhead_w = *x;
        }
        if (YAML::Node v = reader.child(fields, path, "price", is_new)) {
            if (auto x = context.non_negative(v, path + ".price", Dimension::money)) node.price = *x;
        }
        if (!node.gpu.empty()) catalog.set_node(node);
        context.declared_nodes.push_back(name); // so that orders using it are not blamed for its errors
    }
}

} // namespace

void read_catalog(SectionContext& context, const YAML::Node& node) {
    if (!node) return;
    YamlReader& reader = context.reader;
    if (!reader.check_mapping(node, "catalog", {"gpus", "nodes"})) return;
    const std::size_t errors_before = reader.error_count();
    read_catalog_gpus(context, reader.child(node, "catalog", "gpus", false));
    read_catalog_nodes(context, reader.child(node, "catalog", "nodes", false));
    // The entries were checked field by field above; this catches what those checks cannot see.
    if (reader.error_count() == errors_before) {
        for (const std::string& problem : context.scenario.catalog.problems()) reader.error(node, "catalog", problem);
    }
}

void convert_catalog_prices(SectionContext& context, const YAML::Node& finance) {
    Scenario& scenario = context.scenario;
    if (scenario.currency.code == "USD") return;
    const auto rate = scenario.currency.rates.find("USD");
    if (rate == scenario.currency.rates.end()) {
        context.reader.error(finance["currency"] ? finance["currency"] : finance, "finance.currency",
                             "'" + scenario.currency.code + "' needs finance.exchange_rates.USD (" +
                                 scenario.currency.code + " per USD), since the built-in catalog's prices are in USD");
        return;
    }
    for (infra::GpuSpec gpu : scenario.catalog.gpus()) {
        gpu.price *= rate->second;
        scenario.catalog.set_gpu(gpu);
    }
    for (infra::NodeType node : scenario.catalog.nodes()) {
        node.price *= rate->second;
        scenario.catalog.set_node(node);
    }
}

} // namespace capsim::scenario::detail
