// The per-game part of each stats sample (what gamesched-mlcollect stores and autotune scores
// on): per game, the BPF scheduler's per-role counters for this interval and the CPU time of its
// threads; system-wide, the CPU time of everything that is not a game. All counted by the
// scheduler (bpf/game_stats.bpf.h): /proc's tick-sampled times are too coarse for short trials.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>

#include "bpf/intf.h"
#include "core/scheduler_state.h"

namespace gamesched {

class GameUsage {
public:
    // {"games": [...], "cpu": {...}}: deltas since the previous call (a game seen for the first
    // time reports from its registration on).
    nlohmann::json sample(const SchedulerState& state, const SchedulerMaps& maps);

private:
    std::map<pid_t, gs_game_stats> last_stats_;
    std::optional<uint64_t> last_background_ns_;
    std::chrono::steady_clock::time_point last_at_{};
};

}  // namespace gamesched
