// How a stretch of play is scored for autotune: from what the game's own threads suffered
// (never from scheduler-internal proxies such as pick latency or hit rates). Lower is better.
//
//   miss ratio  = beat misses of the frame chain and audio (a wakeup whose period exceeded 1.5x
//                 the thread's average: a frame or audio period that did not happen on time)
//                 / their wakeups;
//   late ratio  = waits (runnable -> running) of input, render, GPU-submit and audio threads
//                 longer than 1/8 of that role's mean wake period / all their waits.
//   score       = miss ratio + late ratio.
//
// Misses are what the player sees; late waits are their cause and far more frequent, so a short
// trial still measures them with little noise. Background starvation is a hard constraint, not a
// term: a window is infeasible when the starvation guard rescued more tasks than under the
// baseline, or when background CPU time fell below 90 % of the baseline's.
#pragma once

#include <optional>
#include <string>

#include "helpers/mlcollect/interval.h"

namespace gamesched::ml {

// One game's intervals added up (a trial's measuring window, or a single interval).
struct Window {
    std::map<std::string, RoleStats> roles;
    double elapsed_ms = 0, capacity_ms = 0, background_ms = 0, game_cpu_ms = 0;
    std::uint64_t starvation_rescues = 0;
    int intervals = 0;
    void add(const Interval& interval, const GameInterval& game);
};

struct Score {
    std::optional<double> value;  // nullopt: the window says nothing (no frame-chain activity)
    double miss_ratio = 0, late_ratio = 0;
    double background_per_s = 0;  // ms of background CPU time per second
    double capacity_per_s = 0;    // ms of CPU time per second (CPUs x 1000)
    double rescues_per_s = 0;
};

[[nodiscard]] Score score_window(const Window& w);

// Fraction of a histogram's waits at or above `threshold_us` (log-uniform within a bucket).
[[nodiscard]] double fraction_at_least(const std::array<std::uint64_t, kWaitBuckets>& hist,
                                       double threshold_us);

// The hard constraint against the baseline's score; empty when satisfied, else why not.
inline constexpr double kBackgroundFloor = 0.9;
[[nodiscard]] std::string starvation_violation(const Score& window, const Score& baseline);

// During a trial, one interval bad enough to stop at once: the game clearly worse than the
// baseline, or the background starving. Empty when the interval is acceptable.
[[nodiscard]] std::string bad_interval(const Score& interval, const Score& baseline);

}  // namespace gamesched::ml
