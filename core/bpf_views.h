// Read-only views of BPF maps for status and statistics: wait-time histograms per role and the
// table of game threads with their inferred roles.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "bpf/intf.h"
#include "util/result.h"

namespace gamesched {

using WaitHistogram = std::array<std::array<uint64_t, GS_WAIT_HIST_BUCKETS>, GS_NR_ROLES>;

const char* role_name(uint32_t role);

Result<WaitHistogram> read_wait_histogram(int percpu_hist_fd);
// Per role with samples: count, p50 and p99 in microseconds (upper bound of the log2 bucket).
nlohmann::json wait_histogram_json(const WaitHistogram& now, const WaitHistogram& before);
// Percentile over one role's buckets, as the bucket's upper bound in µs; 0 when empty.
uint64_t histogram_percentile_us(const std::array<uint64_t, GS_WAIT_HIST_BUCKETS>& buckets, double pct);

struct ThreadView {
    uint32_t tid;
    gs_thread_info info;
};
Result<std::vector<ThreadView>> read_game_threads(int game_threads_fd);
// The TGIDs the kernel's game map (or desktop process map) holds, and its focus entry: read
// back, not remembered.
Result<std::vector<uint32_t>> read_game_tgids(int games_fd, std::size_t max_entries = GS_MAX_GAMES);
Result<uint32_t> read_focus(int focus_fd);
nlohmann::json game_threads_json(const std::vector<ThreadView>& threads);

}  // namespace gamesched
