#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace capsim::cluster {

/// Where a job runs: one pool (one node type at one site) and GPUs on its nodes.
struct Allocation {
    std::uint32_t pool = 0;
    std::vector<std::pair<std::uint32_t, int>> nodes; // (node, GPUs taken on it)
    int gpus() const {
        int n = 0;
        for (const auto& [node, g] : nodes) n += g;
        return n;
    }
};

/// One node type at one site: the unit that placement works on. All its nodes have the same GPUs.
struct Pool {
    std::size_t site = 0;
    std::string node_type;
    std::string gpu;             // GPU model name
    int gpus_per_node = 0;
    double peak_flops_per_gpu = 0;
    int generation = 0;          // newer is larger
    std::int64_t powered_gpus = 0;
    std::int64_t busy_gpus = 0;
};

/// The GPU nodes of every site, which of them are powered, and what runs on each.
///
/// Placement: a job of at most one node's GPUs runs within one node, on the powered node with the
/// fewest free GPUs that still fit it (best fit, to keep whole nodes free for large jobs); a larger
/// job takes ceil(G / GPUs per node) whole free nodes. A job never spans pools.
///
/// Nodes belong to orders (cohorts). The infrastructure decides how many nodes of each order are
/// powered; this class decides which: it keeps busy nodes powered first and, when it must darken
/// busy nodes, returns the jobs on them so the caller can stop them.
///
/// A node may also fail: it is out of service (nothing is placed on it, it draws nothing) until it is
/// repaired. A powered node that fails hands its power to a dark working node of its order where
/// there is one, so the order keeps as many working nodes powered as the grid allows; otherwise it
/// stays among the order's powered nodes, drawing nothing (failed_powered_nodes). A pool's
/// `powered_gpus` counts the GPUs of nodes that are powered and working.
///
/// Spare nodes are kept out of placement: powered (they draw idle power) but never given a job, they
/// wait to take the place of a node in service that fails, with its jobs (replace_with_spare). A
/// pool's GPUs and its largest job leave them out.
class GpuCluster {
public:
    /// Adds a pool; returns its index.
    std::uint32_t add_pool(Pool pool);
    /// Adds an order's `count` nodes to `pool`, all dark, the first `spares` of them spare nodes;
    /// returns the order's index here.
    std::size_t add_order(std::uint32_t pool, std::int64_t count, std::int64_t spares = 0);

    /// Makes `powered` of the order's nodes powered. Returns the jobs running on nodes that went dark
    /// (each once); the caller must release() them.
    std::vector<std::uint32_t> set_powered(std::size_t order, std::int64_t powered);

    /// The node fails. Returns the jobs on it; the caller must release() them. Precondition: working.
    std::vector<std::uint32_t> fail(std::uint32_t node);
    /// The failed node is repaired and back in service if powered (as a spare if it was one).
    void repair(std::uint32_t node);
    /// A powered, working spare node of the node's pool, or -1.
    std::int64_t spare_for(std::uint32_t node) const;
    /// The working node fails and `spare` takes its place: the jobs on it, each with its GPUs, move to
    /// the spare (their allocations must follow: node -> spare), which joins the pool, and the failed
    /// node becomes a spare once repaired. Returns the jobs moved.
    std::vector<std::uint32_t> replace_with_spare(std::uint32_t node, std::uint32_t spare);
    bool is_failed(std::uint32_t node) const { return nodes_[node].failed; }
    /// Powered, working and not a spare: placement may use it.
    bool in_service(std::uint32_t node) const { return in_service(nodes_[node]); }
    /// Powered nodes of an order that are failed: they count against the grid but draw nothing.
    std::int64_t failed_powered_nodes(std::size_t order) const { return orders_[order].failed_powered; }

    /// Could a job of `gpus` GPUs be placed in `pool` now?
    bool fits_now(std::uint32_t pool, int gpus) const;
    /// The most GPUs a job could ask for and be placed in `pool` now: fits_now(pool, g) iff g <= this.
    std::int64_t largest_placeable(std::uint32_t pool) const;
    /// The node that allocate() would give a job of `gpus` <= GPUs per node now, or -1 if none fits.
    std::int64_t best_fit_node(std::uint32_t pool, int gpus) const;
    /// Places the job now. Precondition: fits_now(pool, gpus).
    Allocation allocate(std::uint32_t pool, int gpus, std::uint32_t job);
    void release(const Allocation& allocation, std::uint32_t job);

    /// GPUs a job of `gpus` GPUs occupies in `pool`: itself, or whole nodes when it spans nodes.
    int footprint(std::uint32_t pool, int gpus) const;

    const Pool& pool(std::uint32_t index) const { return pools_[index]; }
    std::size_t pool_count() const { return pools_.size(); }
    std::int64_t free_gpus(std::uint32_t pool) const { return pools_[pool].powered_gpus - pools_[pool].busy_gpus; }
    std::int64_t powered_nodes(std::uint32_t pool) const { return pools_[pool].powered_gpus / pools_[pool].gpus_per_node; }
    std::size_t node_count() const { return nodes_.size(); }
    /// Busy GPUs on an order's nodes.
    std::int64_t busy_gpus_of_order(std::size_t order) const { return orders_[order].busy_gpus; }
    std::size_t order_of_node(std::uint32_t node) const { return nodes_[node].order; }
    std::uint32_t pool_of_node(std::uint32_t node) const { return nodes_[node].pool; }

    /// Checks every internal count against the node states (for tests); throws InternalError.
    void check_consistency() const;

private:
    struct Node {
        std::uint32_t pool = 0;
        std::size_t order = 0;
        bool powered = false;
        bool failed = false;
        bool spare = false;
        int free_gpus = 0;
        std::size_t bucket_position = 0;     // index in its pool's bucket while in service
        std::vector<std::uint32_t> jobs;     // jobs with GPUs on this node
    };
    struct Order {
        std::uint32_t pool = 0;
        std::vector<std::uint32_t> nodes;
        std::int64_t busy_gpus = 0;
        std::int64_t failed_powered = 0;
    };
    struct PoolNodes {
        std::vector<std::vector<std::uint32_t>> by_free; // nodes in service by free GPUs (0..gpus_per_node)
        std::vector<std::uint32_t> spares;               // its spare nodes, whatever their state
    };

    /// Powered, working and not a spare: placement may use it.
    bool in_service(const Node& node) const { return node.powered && !node.failed && !node.spare; }
    void bucket_insert(std::uint32_t node);
    void bucket_erase(std::uint32_t node);
    /// Powers a dark node (working or not) / darkens a powered one, keeping the counts.
    void power_on(std::uint32_t node);
    void power_off(std::uint32_t node);

    std::vector<Pool> pools_;
    std::vector<PoolNodes> pool_nodes_;
    std::vector<Node> nodes_;
    std::vector<Order> orders_;
};

} // namespace capsim::cluster
