// The buildout section: the procurement orders, each some nodes of one catalog type for one site.
#include <algorithm>

#include "capsim/util/calendar.hpp"
#include "diagnostic_messages.hpp"
#include "section_readers.hpp"

namespace capsim::scenario::detail {
namespace {

/// One order; false (after reporting) when any of its fields is wrong.
bool read_order(SectionContext& context, const YAML::Node& node, const std::string& path,
                const std::vector<std::string>& site_names, infra::OrderSpec& order) {
    YamlReader& reader = context.reader;
    const Scenario& scenario = context.scenario;
    bool ok = true;
    if (auto site = reader.text(reader.child(node, path, "site", true), path + ".site", "a site name")) {
        const auto it = std::find(site_names.begin(), site_names.end(), *site);
        if (it == site_names.end()) {
            reader.error(node["site"], path + ".site", no_such_name("site", *site, site_names));
            ok = false;
        } else {
            order.site = static_cast<std::size_t>(it - site_names.begin());
        }
    } else {
        ok = false;
    }
    const infra::NodeType* node_type = nullptr;
    if (auto name = reader.text(reader.child(node, path, "node", true), path + ".node", "a node type name")) {
        node_type = scenario.catalog.find_node(*name);
        const auto& declared = context.declared_nodes;
        const bool is_declared = std::find(declared.begin(), declared.end(), *name) != declared.end();
        if (!node_type && is_declared) {
            ok = false; // its definition under catalog.nodes was reported already
        } else if (!node_type) {
            reader.error(node["node"], path + ".node",
                         unknown_name("node type", *name, scenario.catalog.node_names()) +
                             " (`capsim catalog` lists them; add your own under catalog.nodes)");
            ok = false;
        } else {
            order.node = *name;
            order.price_per_node = node_type->price;
        }
    } else {
        ok = false;
    }
    // A count of 0 is an order not placed: "no second order" is a value a sweep or plan can take.
    if (auto count = reader.whole_number(reader.child(node, path, "count", true), path + ".count", 0)) {
        order.count = *count;
    } else {
        ok = false;
    }
    if (YAML::Node v = reader.child(node, path, "spare_nodes", false)) {
        if (auto spares = reader.whole_number(v, path + ".spare_nodes", 0)) {
            order.spare_nodes = *spares;
            if (ok && order.spare_nodes > 0 && order.spare_nodes >= order.count) {
                reader.error(v, path + ".spare_nodes",
                             found_instead_of(v, "fewer spare nodes than the order's count (" +
                                                     std::to_string(order.count) + ")"));
                ok = false;
            }
        } else {
            ok = false;
        }
    }
    if (auto t = reader.date(reader.child(node, path, "ordered", true), path + ".ordered")) {
        order.ordered_s = *t;
        // Before the start: hardware already installed; after the end: outside the run
        // (docs/scenario.md, Build-out).
    } else {
        ok = false;
    }
    auto duration = [&](const char* key, double& out) {
        if (YAML::Node v = reader.child(node, path, key, false)) {
            if (auto x = context.quantity(v, path + "." + key, Dimension::duration)) {
                out = *x;
            } else {
                ok = false;
            }
        }
    };
    duration("lead_time", order.lead_time_s);
    duration("commissioning", order.commissioning_s);
    duration("lifetime", order.lifetime_s);
    if (YAML::Node v = node["lifetime"]; v && order.lifetime_s <= 0) {
        reader.error(v, path + ".lifetime", found_instead_of(v, "a duration > 0"));
        ok = false;
    }
    if (YAML::Node v = reader.child(node, path, "price", false)) {
        const auto x = context.quantity(v, path + ".price", Dimension::money);
        if (x && *x < 0) reader.error(v, path + ".price", found_instead_of(v, "a price >= 0"));
        if (x && *x >= 0) {
            order.price_per_node = *x;
        } else {
            ok = false;
        }
    }
    return ok;
}

} // namespace

void read_buildout(SectionContext& context, const YAML::Node& orders) {
    if (!orders) return;
    YamlReader& reader = context.reader;
    if (!reader.check_sequence(orders, "buildout", "orders {site, node, count, ordered, ...}")) return;
    std::vector<std::string> site_names;
    for (const infra::SiteSpec& site : context.scenario.sites) site_names.push_back(site.name);
    for (std::size_t i = 0; i < orders.size(); ++i) {
        const std::string path = YamlReader::index_path("buildout", i);
        const YAML::Node node = orders[i];
        if (!reader.check_mapping(node, path, {"site", "node", "count", "spare_nodes", "ordered", "lead_time",
                                               "commissioning", "lifetime", "price"})) {
            continue;
        }
        infra::OrderSpec order;
        if (!read_order(context, node, path, site_names, order)) continue;
        if (context.horizon_ok && order.ordered_s >= context.scenario.end_s) {
            // Outside the simulated time, as a late delivery is: so that `--set end=...` shortens
            // any scenario to its first years.
            reader.note(node["ordered"], path + ".ordered",
                        "ordered after the end of the horizon (" + format_date(context.scenario.end_s - 1) +
                            "): outside the run, left out");
            continue;
        }
        if (context.horizon_ok && order.count > 0 && order.in_service_s() >= context.scenario.end_s) {
            reader.note(node["ordered"], path + ".ordered",
                        "its nodes enter service on " + format_date(order.in_service_s()) +
                            ", after the end of the horizon: its capex is in the results, its nodes never run");
        }
        context.scenario.buildout.push_back(order);
    }
}

} // namespace capsim::scenario::detail
