// How a stretch of play is scored for autotune: from what the game's own threads suffered
// (never from scheduler-internal proxies such as pick latency or hit rates). Lower is better.
//
//   miss ratio  = beat misses of the render role (a wakeup whose period exceeded 1.5x the
//                 thread's average: a frame that did not happen on time) / its wakeups; only
//                 render's threads wake once per frame (score.cpp says why not the others);
//   late share  = the time the input, render, GPU-submit and audio threads waited (runnable ->
//                 running) beyond 1/8 of their role's wake period / the time their periods
//                 covered, per role, averaged over the roles present;
//   score       = miss ratio + late share.
// Each role counts once: a 500 Hz input thread must not drown what the 60 Hz frame chain suffers.
//
// Misses are what the player sees; long waits are their cause and are measured at every wakeup,
// so a short trial still sees them with little noise. Only the part of a wait beyond what the
// role absorbs counts, and by its length: a 10-ms wait behind another thread's slice makes a
// frame late where a 3-ms one does not, while the many short waits of a busy machine make none.
// Background starvation is a hard constraint, not a term: a window is infeasible when the
// starvation guard rescued more tasks than under the baseline, or when background CPU time fell
// below 90 % of the baseline's.
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
    double miss_ratio = 0, late_share = 0;
    double background_per_s = 0;  // ms of background CPU time per second
    double capacity_per_s = 0;    // ms of CPU time per second (CPUs x 1000)
    double rescues_per_s = 0;
};

[[nodiscard]] Score score_window(const Window& w);

// The hard constraint against the baseline's score; empty when satisfied, else why not.
inline constexpr double kBackgroundFloor = 0.9;
[[nodiscard]] std::string starvation_violation(const Score& window, const Score& baseline);

// During a trial, one interval bad enough to stop at once: the game clearly worse than the
// baseline, or the background starving. Empty when the interval is acceptable.
[[nodiscard]] std::string bad_interval(const Score& interval, const Score& baseline);

}  // namespace gamesched::ml
