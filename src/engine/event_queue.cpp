#include "capsim/engine/event_queue.hpp"

#include <utility>

namespace capsim::engine {

std::uint64_t EventQueue::push(double time_s, std::int16_t priority, std::uint32_t kind, std::uint64_t subject,
                               std::uint16_t model) {
    const std::uint64_t sequence = next_sequence_++;
    heap_.push_back(Event{time_s, priority, model, kind, sequence, subject});
    sift_up(heap_.size() - 1);
    return sequence;
}

Event EventQueue::pop() {
    Event next = heap_.front();
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    return next;
}

void EventQueue::sift_up(std::size_t i) {
    Event moving = heap_[i];
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (!comes_before(moving, heap_[parent])) break;
        heap_[i] = heap_[parent];
        i = parent;
    }
    heap_[i] = moving;
}

void EventQueue::sift_down(std::size_t i) {
    const std::size_t n = heap_.size();
    Event moving = heap_[i];
    while (true) {
        std::size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && comes_before(heap_[child + 1], heap_[child])) ++child;
        if (!comes_before(heap_[child], moving)) break;
        heap_[i] = heap_[child];
        i = child;
    }
    heap_[i] = moving;
}

} // namespace capsim::engine
