// Monotonic time in nanoseconds, and sleeps to absolute deadlines (the only way a periodic thread
// can tell how late it woke).
#pragma once

#include <cerrno>
#include <cstdint>
#include <ctime>

namespace gamesched::bench {

constexpr int64_t kNsPerUs = 1000;
constexpr int64_t kNsPerMs = 1000 * 1000;
constexpr int64_t kNsPerS = 1000 * 1000 * 1000;

inline int64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * kNsPerS + ts.tv_nsec;
}

inline timespec to_timespec(int64_t ns) {
    return {static_cast<time_t>(ns / kNsPerS), static_cast<long>(ns % kNsPerS)};
}

inline void sleep_until_ns(int64_t deadline) {
    const timespec ts = to_timespec(deadline);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
}

// A relative sleep: the wake comes from a timer interrupt, as a GPU fence's would from an IRQ.
inline void sleep_for_ns(int64_t duration) {
    timespec ts = to_timespec(duration);
    while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR) {
    }
}

inline int64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * kNsPerS + ts.tv_nsec;
}

}  // namespace gamesched::bench
