#include "tools/bench/spin.h"

#include <algorithm>
#include <vector>

#include "tools/bench/clock.h"

namespace gamesched::bench {

void spin_loops(uint64_t loops) {
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (uint64_t i = 0; i < loops; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        asm volatile("" : "+r"(x));  // keeps every iteration: the loop is the workload
    }
}

double calibrate_loops_per_us(int trials) {
    // A short probe sizes the trials to about 50 ms each whatever the CPU speed.
    uint64_t probe = 100000;
    int64_t elapsed = 0;
    while (true) {
        const int64_t t0 = now_ns();
        spin_loops(probe);
        elapsed = now_ns() - t0;
        if (elapsed > 5 * kNsPerMs) break;
        probe *= 4;
    }
    const uint64_t per_trial = probe * 10;
    std::vector<double> rates;
    for (int i = 0; i < trials; ++i) {
        const int64_t t0 = now_ns();
        spin_loops(per_trial);
        const double us = static_cast<double>(now_ns() - t0) / kNsPerUs;
        rates.push_back(static_cast<double>(per_trial) / std::max(us, 1.0));
    }
    std::nth_element(rates.begin(), rates.begin() + static_cast<long>(rates.size() / 2), rates.end());
    return rates[rates.size() / 2];
}

}  // namespace gamesched::bench
