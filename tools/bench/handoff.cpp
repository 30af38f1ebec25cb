#include "tools/bench/handoff.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <ctime>

namespace gamesched::bench {
namespace {

constexpr long kStopCheckNs = 50L * 1000 * 1000;

long futex(std::atomic<uint32_t>* word, int op, uint32_t value, const timespec* timeout) {
    static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
    return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op | FUTEX_PRIVATE_FLAG, value, timeout,
                   nullptr, 0);
}

}  // namespace

void Handoff::post() {
    count_.fetch_add(1, std::memory_order_release);
    futex(&count_, FUTEX_WAKE, INT_MAX, nullptr);
}

bool Handoff::wait_past(uint32_t taken, const std::atomic<bool>& stop) {
    const timespec slice{0, kStopCheckNs};
    while (true) {
        const uint32_t now = count_.load(std::memory_order_acquire);
        if (now != taken) return true;
        if (stop.load(std::memory_order_relaxed)) return false;
        futex(&count_, FUTEX_WAIT, now, &slice);
    }
}

}  // namespace gamesched::bench
