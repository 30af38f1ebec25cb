#include "core/stats_reader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <vector>

namespace gamesched {

Result<Counters> read_counters(int percpu_stats_fd) {
    int nr_cpus = libbpf_num_possible_cpus();
    if (nr_cpus <= 0) return Error::from_errno("counting possible CPUs", -nr_cpus);
    Counters sums{};
    std::vector<uint64_t> per_cpu(static_cast<size_t>(nr_cpus));
    for (uint32_t idx = 0; idx < GS_NR_STATS; ++idx) {
        if (bpf_map_lookup_elem(percpu_stats_fd, &idx, per_cpu.data()) != 0) {
            return Error::from_errno("reading BPF counter " + std::to_string(idx));
        }
        for (uint64_t v : per_cpu) sums[idx] += v;
    }
    return sums;
}

const char* counter_name(int index) {
    static constexpr const char* kNames[GS_NR_STATS] = {
        "enqueue",      "direct_idle",  "shared_queue",   "dispatch",    "game_enqueue",    "boosted",
        "preempt_kick", "slice_refill", "input_keyboard", "input_mouse", "input_gamepad",   "input_ignored",
        "exec_event",   "exit_event",   "ringbuf_drop",   "role_change", "desktop_boosted", "resumed",
        "preempt_here", "cpu_queue",    "steal",
    };
    return index >= 0 && index < GS_NR_STATS ? kNames[index] : "unknown";
}

nlohmann::json counters_json(const Counters& now, const Counters& before) {
    nlohmann::json out = nlohmann::json::object();
    for (int i = 0; i < GS_NR_STATS; ++i) {
        auto idx = static_cast<size_t>(i);
        out[counter_name(i)] = now[idx] - before[idx];
    }
    return out;
}

}  // namespace gamesched
