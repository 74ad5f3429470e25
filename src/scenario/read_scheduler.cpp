// The scheduler section: the batch policy, the queue order, fair-share decay, the walltime limit
// and how urgent jobs get their GPUs.
#include "capsim/sched/policy_registry.hpp"
#include "diagnostic_messages.hpp"
#include "section_readers.hpp"

namespace capsim::scenario::detail {

void read_scheduler(SectionContext& context, const YAML::Node& node) {
    if (!node) return;
    YamlReader& reader = context.reader;
    using workload::SchedulerSpec;
    SchedulerSpec& scheduler = context.scenario.scheduler;
    if (!reader.check_mapping(node, "scheduler", {"policy", "order", "fairshare", "max_walltime", "urgent"})) return;
    if (YAML::Node p = node["policy"]) {
        if (auto i = context.name_index(p, "scheduler.policy", sched::policy_names(), "policy")) {
            scheduler.policy = sched::policy_names()[*i];
        }
    }
    if (YAML::Node o = node["order"]) {
        // The names in the order of SchedulerSpec::Order.
        const std::vector<std::string> orders = {"fifo", "sjf", "fairshare", "priority"};
        if (auto i = context.name_index(o, "scheduler.order", orders, "queue order")) {
            scheduler.order = static_cast<SchedulerSpec::Order>(*i);
        }
    }
    if (YAML::Node f = node["fairshare"]) {
        if (reader.check_mapping(f, "scheduler.fairshare", {"halflife"})) {
            if (auto h = context.quantity(reader.child(f, "scheduler.fairshare", "halflife", true),
                                          "scheduler.fairshare.halflife", Dimension::duration)) {
                if (*h > 0) scheduler.fairshare_halflife_s = *h;
                else reader.error(f["halflife"], "scheduler.fairshare.halflife",
                                  found_instead_of(f["halflife"], "a duration > 0"));
            }
        }
    }
    if (YAML::Node m = node["max_walltime"]) {
        if (auto x = context.quantity(m, "scheduler.max_walltime", Dimension::duration)) {
            if (*x > 0) scheduler.max_walltime_s = *x;
            else reader.error(m, "scheduler.max_walltime", found_instead_of(m, "a duration > 0"));
        }
    }
    if (YAML::Node u = node["urgent"]) {
        if (auto i = context.name_index(u, "scheduler.urgent", {"preempt", "front-of-queue"}, "urgent mode")) {
            scheduler.urgent = *i == 0 ? SchedulerSpec::Urgent::preempt : SchedulerSpec::Urgent::front_of_queue;
        }
    }
}

} // namespace capsim::scenario::detail
