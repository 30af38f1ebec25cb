// A wake-up counter on a futex: one side posts, the other waits until the count passes what it
// has taken. The hand-off between game threads is a plain futex (not a condition variable or
// std::atomic::wait, which may spin or yield first) so that the scheduler sees exactly one
// sleep and one wake per hand-off.
#pragma once

#include <atomic>
#include <cstdint>

namespace gamesched::bench {

class Handoff {
public:
    void post();
    // Blocks until more than `taken` posts happened or `stop` is set; true if there is a post to
    // take. Waits in bounded slices so that a stop set while it sleeps is seen promptly.
    bool wait_past(uint32_t taken, const std::atomic<bool>& stop);
    uint32_t posted() const { return count_.load(std::memory_order_acquire); }

private:
    std::atomic<uint32_t> count_{0};
};

}  // namespace gamesched::bench
