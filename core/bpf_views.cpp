#include "core/bpf_views.h"

#include "util/log2_histogram.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cstring>
#include <string>

namespace gamesched {

const char* role_name(uint32_t role) {
    static constexpr const char* kNames[GS_NR_ROLES] = {"none",   "worker",     "input",
                                                        "render", "gpu_submit", "audio"};
    return role < GS_NR_ROLES ? kNames[role] : "unknown";
}

Result<WaitHistogram> read_wait_histogram(int percpu_hist_fd) {
    int nr_cpus = libbpf_num_possible_cpus();
    if (nr_cpus <= 0) return Error::from_errno("counting possible CPUs", -nr_cpus);
    std::vector<gs_wait_hist> per_cpu(static_cast<size_t>(nr_cpus));
    uint32_t zero = 0;
    if (bpf_map_lookup_elem(percpu_hist_fd, &zero, per_cpu.data()) != 0)
        return Error::from_errno("reading wait histograms");
    WaitHistogram sum{};
    for (const auto& h : per_cpu) {
        for (size_t r = 0; r < GS_NR_ROLES; ++r) {
            for (size_t b = 0; b < GS_WAIT_HIST_BUCKETS; ++b) sum[r][b] += h.buckets[r][b];
        }
    }
    return sum;
}

uint64_t histogram_percentile_us(const std::array<uint64_t, GS_WAIT_HIST_BUCKETS>& buckets, double pct) {
    return log2_histogram_percentile_us(buckets, pct);
}

nlohmann::json wait_histogram_json(const WaitHistogram& now, const WaitHistogram& before) {
    nlohmann::json out = nlohmann::json::object();
    for (size_t r = 0; r < GS_NR_ROLES; ++r) {
        std::array<uint64_t, GS_WAIT_HIST_BUCKETS> delta{};
        uint64_t n = 0;
        for (size_t b = 0; b < GS_WAIT_HIST_BUCKETS; ++b) {
            delta[b] = now[r][b] - before[r][b];
            n += delta[b];
        }
        if (n == 0) continue;
        out[role_name(static_cast<uint32_t>(r))] = {{"n", n},
                                                    {"p50_us", histogram_percentile_us(delta, 50)},
                                                    {"p99_us", histogram_percentile_us(delta, 99)}};
    }
    return out;
}

Result<std::vector<ThreadView>> read_game_threads(int game_threads_fd) {
    std::vector<ThreadView> out;
    uint32_t key = 0, next = 0;
    bool first = true;
    while (bpf_map_get_next_key(game_threads_fd, first ? nullptr : &key, &next) == 0) {
        first = false;
        key = next;
        ThreadView v{key, {}};
        if (bpf_map_lookup_elem(game_threads_fd, &key, &v.info) == 0) out.push_back(v);
        if (out.size() > GS_MAX_GAME_THREADS) break;
    }
    return out;
}

Result<std::vector<uint32_t>> read_game_tgids(int games_fd, std::size_t max_entries) {
    std::vector<uint32_t> out;
    uint32_t key = 0, next = 0;
    bool first = true;
    while (bpf_map_get_next_key(games_fd, first ? nullptr : &key, &next) == 0 && out.size() <= max_entries) {
        first = false;
        key = next;
        out.push_back(key);
    }
    return out;
}

Result<uint32_t> read_focus(int focus_fd) {
    uint32_t zero = 0, value = 0;
    if (bpf_map_lookup_elem(focus_fd, &zero, &value) != 0) return Error::from_errno("reading the focus map");
    return value;
}

nlohmann::json game_threads_json(const std::vector<ThreadView>& threads) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : threads) {
        out.push_back({{"tid", t.tid},
                       {"tgid", t.info.tgid},
                       {"comm", std::string(t.info.comm, strnlen(t.info.comm, sizeof t.info.comm))},
                       {"role", role_name(t.info.role)},
                       {"avg_period_us", t.info.avg_period_ns / 1000},
                       {"avg_burst_us", t.info.avg_burst_ns / 1000},
                       {"input_wake_pct", t.info.input_wake_pct},
                       {"woken_by_peer_pct", t.info.woken_by_peer_pct},
                       {"woken_by_render_pct", t.info.woken_by_render_pct},
                       {"wakes_peer_pct", t.info.wakes_peer_pct},
                       {"forwards_pct", t.info.forwards_pct},
                       {"wakeups", t.info.nr_wakeups}});
    }
    return out;
}

}  // namespace gamesched
