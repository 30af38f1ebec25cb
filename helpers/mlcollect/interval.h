// One statistics interval as the core pushes it (the stats_sample message; its schema is the
// core's, see docs/ml.md), reduced to what the collector stores and the autotuner scores on.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "helpers/mlcollect/search_space.h"
#include "util/result.h"

namespace gamesched::ml {

inline constexpr int kRecordSchema = 1;
inline constexpr std::size_t kWaitBuckets = 16;  // GS_WAIT_HIST_BUCKETS: [0,1) [1,2) [2,4) ... us

// One thread role of one game over an interval, as the BPF scheduler saw it.
struct RoleStats {
    std::array<std::uint64_t, kWaitBuckets> wait_hist{};  // runnable -> running, log2(us) buckets
    std::uint64_t wait_sum_us = 0;
    std::uint64_t wakeups = 0;
    std::uint64_t period_sum_us = 0;  // sum of wake-to-wake periods (mean = sum / wakeups)
    std::uint64_t beat_misses = 0;    // wakeups whose period exceeded 1.5x the thread's average
    void add(const RoleStats& other);
    [[nodiscard]] std::uint64_t waits() const;
};

struct GameIdentity {
    int pid = 0;
    std::string name;
    std::string source;  // which detection rule or registration path
    std::optional<std::string> app_id;
    std::string exe;  // executable's base name, as the core read it
    // The key samples and profiles are filed under: the Steam app id when known, else the
    // launcher's id, else the executable.
    [[nodiscard]] std::string key() const;
};

struct GameInterval {
    GameIdentity id;
    double cpu_ms = 0;  // CPU time of all its threads in the interval
    std::map<std::string, RoleStats> roles;
    std::uint64_t boosts = 0, preempt_kicks = 0, migrations = 0;
};

struct Interval {
    std::int64_t ts_ms = 0;  // wall clock at the end of the interval
    double interval_ms = 0;
    double capacity_ms = 0;    // CPUs x interval
    double background_ms = 0;  // CPU time of everything that is not a game
    std::uint64_t starvation_rescues = 0;
    TunableValues tunables;
    std::vector<GameInterval> games;
};

// Parses a stats sample. A sample without the per-game part (a core too old, or detached) is an
// error naming what is missing.
[[nodiscard]] Result<Interval> parse_interval(const nlohmann::json& sample);

// The stored record of one game's interval (docs/ml.md). phase: "default", "profile",
// "baseline", "trial" or "confirm"; trial: the trial number while autotuning.
[[nodiscard]] nlohmann::json sample_record(const Interval& interval, const GameInterval& game,
                                           const std::string& phase, std::optional<int> trial);

}  // namespace gamesched::ml
