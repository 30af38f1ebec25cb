// Sums the BPF per-CPU counters and renders them as the JSON the core prints with --stats and
// pushes to subscribers.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "bpf/intf.h"
#include "util/result.h"

namespace gamesched {

using Counters = std::array<uint64_t, GS_NR_STATS>;

Result<Counters> read_counters(int percpu_stats_fd);

// Stable names, indexed by enum gs_stat.
const char* counter_name(int index);

nlohmann::json counters_json(const Counters& now, const Counters& before);

}  // namespace gamesched
