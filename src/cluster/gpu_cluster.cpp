#include "capsim/cluster/gpu_cluster.hpp"

#include <algorithm>

#include "capsim/util/error.hpp"

namespace capsim::cluster {

std::uint32_t GpuCluster::add_pool(Pool pool) {
    PoolNodes nodes;
    nodes.by_free.resize(static_cast<std::size_t>(pool.gpus_per_node) + 1);
    pools_.push_back(std::move(pool));
    pool_nodes_.push_back(std::move(nodes));
    return static_cast<std::uint32_t>(pools_.size() - 1);
}

std::size_t GpuCluster::add_order(std::uint32_t pool, std::int64_t count, std::int64_t spares) {
    Order order;
    order.pool = pool;
    for (std::int64_t i = 0; i < count; ++i) {
        Node node;
        node.pool = pool;
        node.order = orders_.size();
        node.free_gpus = pools_[pool].gpus_per_node;
        node.spare = i < spares;
        if (node.spare) pool_nodes_[pool].spares.push_back(static_cast<std::uint32_t>(nodes_.size()));
        order.nodes.push_back(static_cast<std::uint32_t>(nodes_.size()));
        nodes_.push_back(std::move(node));
    }
    orders_.push_back(std::move(order));
    return orders_.size() - 1;
}

void GpuCluster::bucket_insert(std::uint32_t id) {
    Node& node = nodes_[id];
    auto& bucket = pool_nodes_[node.pool].by_free[static_cast<std::size_t>(node.free_gpus)];
    node.bucket_position = bucket.size();
    bucket.push_back(id);
}

void GpuCluster::bucket_erase(std::uint32_t id) {
    Node& node = nodes_[id];
    auto& bucket = pool_nodes_[node.pool].by_free[static_cast<std::size_t>(node.free_gpus)];
    const std::uint32_t last = bucket.back();
    bucket[node.bucket_position] = last;
    nodes_[last].bucket_position = node.bucket_position;
    bucket.pop_back();
}

void GpuCluster::power_on(std::uint32_t id) {
    Node& node = nodes_[id];
    Pool& pool = pools_[node.pool];
    node.powered = true;
    if (node.failed) {
        ++orders_[node.order].failed_powered;
        return;
    }
    if (node.spare) return; // powered and idle, out of placement
    bucket_insert(id);
    pool.powered_gpus += pool.gpus_per_node;
    pool.busy_gpus += pool.gpus_per_node - node.free_gpus;
}

void GpuCluster::power_off(std::uint32_t id) {
    Node& node = nodes_[id];
    Pool& pool = pools_[node.pool];
    if (node.failed) {
        --orders_[node.order].failed_powered;
    } else if (!node.spare) {
        // Its jobs keep their GPUs until the caller releases them.
        bucket_erase(id);
        pool.powered_gpus -= pool.gpus_per_node;
        pool.busy_gpus -= pool.gpus_per_node - node.free_gpus;
    }
    node.powered = false;
}

std::vector<std::uint32_t> GpuCluster::set_powered(std::size_t order_index, std::int64_t powered) {
    Order& order = orders_[order_index];
    std::int64_t now_powered = 0;
    for (const std::uint32_t id : order.nodes) now_powered += nodes_[id].powered ? 1 : 0;
    std::vector<std::uint32_t> stopped;
    if (powered > now_powered) {
        // Working nodes first: a failed node powered draws nothing and places nothing.
        for (const bool failed : {false, true}) {
            for (const std::uint32_t id : order.nodes) {
                if (now_powered == powered) break;
                if (nodes_[id].powered || nodes_[id].failed != failed) continue;
                power_on(id);
                ++now_powered;
            }
        }
    } else if (powered < now_powered) {
        // Darken failed nodes first, then idle ones, then spares, then the least busy; jobs on a
        // darkened node must stop.
        std::vector<std::uint32_t> candidates;
        for (const std::uint32_t id : order.nodes) {
            if (nodes_[id].powered) candidates.push_back(id);
        }
        const int per_node = pools_[order.pool].gpus_per_node;
        const auto rank = [&](const Node& n) { return n.failed ? 0 : n.spare ? 2 : n.free_gpus == per_node ? 1 : 3; };
        std::stable_sort(candidates.begin(), candidates.end(), [&](std::uint32_t a, std::uint32_t b) {
            const Node& x = nodes_[a];
            const Node& y = nodes_[b];
            return rank(x) != rank(y) ? rank(x) < rank(y) : x.free_gpus > y.free_gpus;
        });
        for (const std::uint32_t id : candidates) {
            if (now_powered == powered) break;
            for (const std::uint32_t job : nodes_[id].jobs) {
                if (std::find(stopped.begin(), stopped.end(), job) == stopped.end()) stopped.push_back(job);
            }
            power_off(id);
            --now_powered;
        }
    }
    return stopped;
}

std::vector<std::uint32_t> GpuCluster::fail(std::uint32_t id) {
    Node& node = nodes_[id];
    if (node.failed) throw InternalError("GPU cluster: a failed node failed again");
    std::vector<std::uint32_t> stopped = node.jobs; // they keep their GPUs until the caller releases them
    if (!node.powered) {
        node.failed = true;
        return stopped;
    }
    power_off(id);
    node.failed = true;
    // The power a working node had goes to a dark working node of its order, if there is one (a
    // spare's stays with it: spares add no capacity).
    if (!node.spare) {
        for (const std::uint32_t other : orders_[node.order].nodes) {
            if (!nodes_[other].powered && !nodes_[other].failed && !nodes_[other].spare) {
                power_on(other);
                return stopped;
            }
        }
    }
    power_on(id); // stays powered, failed: counted against the grid, drawing nothing
    return stopped;
}

std::int64_t GpuCluster::spare_for(std::uint32_t id) const {
    for (const std::uint32_t spare : pool_nodes_[nodes_[id].pool].spares) {
        if (spare != id && nodes_[spare].powered && !nodes_[spare].failed) return spare;
    }
    return -1;
}

std::vector<std::uint32_t> GpuCluster::replace_with_spare(std::uint32_t id, std::uint32_t spare_id) {
    Node& node = nodes_[id];
    Node& spare = nodes_[spare_id];
    if (!in_service(node) || !spare.spare || !spare.powered || spare.failed || spare.pool != node.pool) {
        throw InternalError("GPU cluster: a spare can only replace a node in service of its pool");
    }
    Pool& pool = pools_[node.pool];
    const int used = pool.gpus_per_node - node.free_gpus;
    std::vector<std::uint32_t> moved = node.jobs;
    // The spare joins the pool with the failed node's jobs and free GPUs ...
    bucket_erase(id);
    spare.spare = false;
    spare.jobs = std::move(node.jobs);
    spare.free_gpus = node.free_gpus;
    bucket_insert(spare_id);
    orders_[node.order].busy_gpus -= used;
    orders_[spare.order].busy_gpus += used;
    // ... and the failed node, empty, takes the spare's place: out until repaired, a spare after.
    node.jobs.clear();
    node.free_gpus = pool.gpus_per_node;
    node.spare = true;
    node.failed = true;
    ++orders_[node.order].failed_powered;
    auto& spares = pool_nodes_[node.pool].spares;
    *std::find(spares.begin(), spares.end(), spare_id) = id;
    return moved;
}

void GpuCluster::repair(std::uint32_t id) {
    Node& node = nodes_[id];
    if (!node.failed) throw InternalError("GPU cluster: repairing a node that works");
    if (!node.powered) {
        node.failed = false;
        return;
    }
    power_off(id);
    node.failed = false;
    power_on(id);
}

int GpuCluster::footprint(std::uint32_t pool, int gpus) const {
    const int per_node = pools_[pool].gpus_per_node;
    if (gpus <= per_node) return gpus;
    return (gpus + per_node - 1) / per_node * per_node;
}

bool GpuCluster::fits_now(std::uint32_t pool, int gpus) const {
    const int per_node = pools_[pool].gpus_per_node;
    const auto& by_free = pool_nodes_[pool].by_free;
    if (gpus <= per_node) {
        for (int f = gpus; f <= per_node; ++f) {
            if (!by_free[static_cast<std::size_t>(f)].empty()) return true;
        }
        return false;
    }
    const auto needed = static_cast<std::size_t>((gpus + per_node - 1) / per_node);
    return by_free[static_cast<std::size_t>(per_node)].size() >= needed;
}

std::int64_t GpuCluster::largest_placeable(std::uint32_t pool) const {
    const int per_node = pools_[pool].gpus_per_node;
    const auto& by_free = pool_nodes_[pool].by_free;
    // Whole free nodes place any job of up to their GPUs; otherwise the emptiest node decides.
    const auto whole = static_cast<std::int64_t>(by_free[static_cast<std::size_t>(per_node)].size());
    if (whole > 0) return whole * per_node;
    for (int f = per_node - 1; f > 0; --f) {
        if (!by_free[static_cast<std::size_t>(f)].empty()) return f;
    }
    return 0;
}

std::int64_t GpuCluster::best_fit_node(std::uint32_t pool, int gpus) const {
    const int per_node = pools_[pool].gpus_per_node;
    const auto& by_free = pool_nodes_[pool].by_free;
    for (int f = gpus; f <= per_node; ++f) {
        const auto& bucket = by_free[static_cast<std::size_t>(f)];
        if (!bucket.empty()) return bucket.back();
    }
    return -1;
}

Allocation GpuCluster::allocate(std::uint32_t pool_index, int gpus, std::uint32_t job) {
    Pool& pool = pools_[pool_index];
    const int per_node = pool.gpus_per_node;
    auto& by_free = pool_nodes_[pool_index].by_free;
    Allocation allocation;
    allocation.pool = pool_index;
    auto take = [&](std::uint32_t id, int count) {
        Node& node = nodes_[id];
        bucket_erase(id);
        node.free_gpus -= count;
        bucket_insert(id);
        node.jobs.push_back(job);
        orders_[node.order].busy_gpus += count;
        allocation.nodes.emplace_back(id, count);
    };
    if (gpus <= per_node) {
        const std::int64_t node = best_fit_node(pool_index, gpus);
        if (node < 0) throw InternalError("GPU cluster: no node has " + std::to_string(gpus) + " free GPUs");
        take(static_cast<std::uint32_t>(node), gpus);
        pool.busy_gpus += gpus;
        return allocation;
    }
    const int nodes_needed = (gpus + per_node - 1) / per_node;
    auto& whole = by_free[static_cast<std::size_t>(per_node)];
    if (static_cast<int>(whole.size()) < nodes_needed) {
        throw InternalError("GPU cluster: fewer than " + std::to_string(nodes_needed) + " free nodes");
    }
    for (int k = 0; k < nodes_needed; ++k) take(whole.back(), per_node);
    pool.busy_gpus += static_cast<std::int64_t>(nodes_needed) * per_node;
    return allocation;
}

void GpuCluster::release(const Allocation& allocation, std::uint32_t job) {
    Pool& pool = pools_[allocation.pool];
    for (const auto& [id, count] : allocation.nodes) {
        Node& node = nodes_[id];
        const auto it = std::find(node.jobs.begin(), node.jobs.end(), job);
        if (it == node.jobs.end()) throw InternalError("GPU cluster: releasing a job that is not on its node");
        node.jobs.erase(it);
        const bool placed = in_service(node);
        if (placed) bucket_erase(id);
        node.free_gpus += count;
        if (placed) bucket_insert(id);
        orders_[node.order].busy_gpus -= count;
        if (placed) pool.busy_gpus -= count;
    }
}

void GpuCluster::check_consistency() const {
    for (std::uint32_t p = 0; p < pools_.size(); ++p) {
        std::int64_t powered = 0, busy = 0;
        for (const Node& node : nodes_) {
            if (node.pool != p) continue;
            if (node.free_gpus < 0 || node.free_gpus > pools_[p].gpus_per_node) {
                throw InternalError("GPU cluster: a node has " + std::to_string(node.free_gpus) + " free GPUs");
            }
            if (!in_service(node)) continue;
            powered += pools_[p].gpus_per_node;
            busy += pools_[p].gpus_per_node - node.free_gpus;
        }
        if (powered != pools_[p].powered_gpus || busy != pools_[p].busy_gpus) {
            throw InternalError("GPU cluster: pool counts disagree with its nodes");
        }
    }
    for (const Node& node : nodes_) {
        if (node.spare && !node.jobs.empty()) {
            throw InternalError("GPU cluster: a spare node holds a job");
        }
    }
    for (const Order& order : orders_) {
        std::int64_t failed_powered = 0;
        for (const std::uint32_t id : order.nodes) failed_powered += nodes_[id].powered && nodes_[id].failed ? 1 : 0;
        if (failed_powered != order.failed_powered) {
            throw InternalError("GPU cluster: an order's count of failed powered nodes disagrees with its nodes");
        }
    }
}

} // namespace capsim::cluster
