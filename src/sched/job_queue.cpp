#include "capsim/sched/job_queue.hpp"

#include <algorithm>

#include "capsim/util/error.hpp"

namespace capsim::sched {

std::uint32_t JobQueue::new_node(const QueueEntry& entry) {
    // splitmix64: a fixed sequence of well-mixed priorities, so the tree is the same on every run.
    priority_state_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = priority_state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    Node node;
    node.entry = entry;
    node.priority = static_cast<std::uint32_t>(z >> 32);
    node.min_units = entry.units;
    node.min_estimate_s = entry.estimate_s;
    if (!free_nodes_.empty()) {
        const std::uint32_t n = free_nodes_.back();
        free_nodes_.pop_back();
        nodes_[n] = node;
        return n;
    }
    nodes_.push_back(node);
    return static_cast<std::uint32_t>(nodes_.size() - 1);
}

void JobQueue::pull(std::uint32_t n) {
    Node& node = nodes_[n];
    node.min_units = node.entry.units;
    node.min_estimate_s = node.entry.estimate_s;
    for (const std::uint32_t child : {node.left, node.right}) {
        if (child == nil) continue;
        node.min_units = std::min(node.min_units, nodes_[child].min_units);
        node.min_estimate_s = std::min(node.min_estimate_s, nodes_[child].min_estimate_s);
    }
}

void JobQueue::split(std::uint32_t n, const QueueKey& key, std::uint32_t& left, std::uint32_t& right) {
    if (n == nil) {
        left = right = nil;
        return;
    }
    if (nodes_[n].entry.key < key) {
        split(nodes_[n].right, key, nodes_[n].right, right);
        left = n;
    } else {
        split(nodes_[n].left, key, left, nodes_[n].left);
        right = n;
    }
    pull(n);
}

std::uint32_t JobQueue::merge(std::uint32_t left, std::uint32_t right) {
    if (left == nil) return right;
    if (right == nil) return left;
    if (nodes_[left].priority > nodes_[right].priority) {
        nodes_[left].right = merge(nodes_[left].right, right);
        pull(left);
        return left;
    }
    nodes_[right].left = merge(left, nodes_[right].left);
    pull(right);
    return right;
}

void JobQueue::insert(const QueueEntry& entry) {
    const std::uint32_t n = new_node(entry);
    std::uint32_t left = nil, right = nil;
    split(root_, entry.key, left, right);
    root_ = merge(merge(left, n), right);
    ++size_;
    ++version_;
}

void JobQueue::erase(const QueueKey& key) {
    // Walk down to the node, then replace it by the merge of its children.
    std::uint32_t* link = &root_;
    std::vector<std::uint32_t> path;
    while (*link != nil && !(nodes_[*link].entry.key == key)) {
        path.push_back(*link);
        link = key < nodes_[*link].entry.key ? &nodes_[*link].left : &nodes_[*link].right;
    }
    if (*link == nil) throw InternalError("job queue: erasing a job that is not queued");
    const std::uint32_t n = *link;
    *link = merge(nodes_[n].left, nodes_[n].right);
    free_nodes_.push_back(n);
    --size_;
    ++version_;
    for (auto it = path.rbegin(); it != path.rend(); ++it) pull(*it);
}

std::uint32_t JobQueue::find_first(std::uint32_t n, const QueueKey* after, const StartBound& bound) const {
    while (n != nil) {
        const Node& node = nodes_[n];
        if (!bound.might_start_any(node.min_units, node.min_estimate_s)) return nil;
        if (after && !(*after < node.entry.key)) {
            n = node.right; // this node and its left subtree are not after `after`
            continue;
        }
        const std::uint32_t in_left = find_first(node.left, after, bound);
        if (in_left != nil) return in_left;
        if (bound.might_start(node.entry.units, node.entry.estimate_s)) return n;
        n = node.right;
        after = nullptr; // everything to the right is after it
    }
    return nil;
}

const QueueEntry* JobQueue::next(const QueueKey* after) const { return next_startable(after, StartBound{}); }

const QueueEntry* JobQueue::next_startable(const QueueKey* after, const StartBound& bound) const {
    const std::uint32_t n = find_first(root_, after, bound);
    return n == nil ? nullptr : &nodes_[n].entry;
}

std::vector<QueueEntry> JobQueue::entries() const {
    std::vector<QueueEntry> out;
    out.reserve(size_);
    const QueueEntry* e = next(nullptr);
    while (e) {
        out.push_back(*e);
        e = next(&e->key);
    }
    return out;
}

void JobQueue::Cursor::seek(const JobQueue& queue, const QueueKey* after) {
    queue_ = &queue;
    version_ = queue.version_;
    stack_.clear();
    // Keep the nodes after `after` on the way down: each is visited before its right subtree.
    for (std::uint32_t n = queue.root_; n != nil;) {
        const Node& node = queue.nodes_[n];
        if (after && !(*after < node.entry.key)) {
            n = node.right;
        } else {
            stack_.push_back(n);
            n = node.left;
        }
    }
}

void JobQueue::Cursor::check() const {
    if (!queue_ || queue_->version_ != version_) throw InternalError("job queue: a cursor used after the queue changed");
}

const QueueEntry* JobQueue::Cursor::current() const {
    check();
    return stack_.empty() ? nullptr : &queue_->nodes_[stack_.back()].entry;
}

void JobQueue::Cursor::advance() {
    check();
    if (stack_.empty()) return;
    std::uint32_t n = queue_->nodes_[stack_.back()].right;
    stack_.pop_back();
    for (; n != nil; n = queue_->nodes_[n].left) stack_.push_back(n);
}

} // namespace capsim::sched
