// Work as a fixed amount of computation: a loop count, calibrated once per boot, so that a
// preempted frame takes longer instead of a time-based spin hiding the preemption.
#pragma once

#include <cstdint>

namespace gamesched::bench {

// Runs `loops` iterations of a dependent integer chain the compiler cannot remove.
void spin_loops(uint64_t loops);

// Loops per microsecond on this CPU: median of `trials` timed runs of about 50 ms each,
// single-threaded. Call it before starting any other thread.
double calibrate_loops_per_us(int trials = 9);

inline uint64_t loops_for_us(double loops_per_us, double us) {
    const double n = loops_per_us * us;
    return n < 1 ? 1 : static_cast<uint64_t>(n);
}

}  // namespace gamesched::bench
