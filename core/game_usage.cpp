#include "core/game_usage.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/bpf_views.h"

namespace gamesched {
namespace {

std::optional<uint64_t> read_background_ns(int fd) {
    const int nr_cpus = libbpf_num_possible_cpus();
    if (fd < 0 || nr_cpus <= 0) return std::nullopt;
    std::vector<uint64_t> per_cpu(static_cast<size_t>(nr_cpus));
    uint32_t zero = 0;
    if (bpf_map_lookup_elem(fd, &zero, per_cpu.data()) != 0) return std::nullopt;
    uint64_t sum = 0;
    for (uint64_t v : per_cpu) sum += v;
    return sum;
}

std::optional<gs_game_stats> read_game_stats(int fd, pid_t tgid) {
    const int nr_cpus = libbpf_num_possible_cpus();
    if (fd < 0 || nr_cpus <= 0) return std::nullopt;
    std::vector<gs_game_stats> per_cpu(static_cast<size_t>(nr_cpus));
    auto key = static_cast<uint32_t>(tgid);
    if (bpf_map_lookup_elem(fd, &key, per_cpu.data()) != 0) return std::nullopt;
    gs_game_stats sum{};
    for (const auto& c : per_cpu) {
        for (size_t r = 0; r < GS_NR_ROLES; ++r) {
            for (size_t b = 0; b < GS_WAIT_HIST_BUCKETS; ++b)
                sum.roles[r].wait_hist[b] += c.roles[r].wait_hist[b];
            sum.roles[r].wait_sum_ns += c.roles[r].wait_sum_ns;
            sum.roles[r].wakeups += c.roles[r].wakeups;
            sum.roles[r].period_sum_ns += c.roles[r].period_sum_ns;
            sum.roles[r].beat_misses += c.roles[r].beat_misses;
        }
        sum.boosts += c.boosts;
        sum.preempt_kicks += c.preempt_kicks;
        sum.migrations += c.migrations;
        sum.runtime_ns += c.runtime_ns;
    }
    return sum;
}

nlohmann::json roles_json(const gs_game_stats& now, const gs_game_stats& before) {
    nlohmann::json out = nlohmann::json::object();
    for (size_t r = GS_ROLE_WORKER; r < GS_NR_ROLES; ++r) {
        const gs_role_stats &a = now.roles[r], &b = before.roles[r];
        nlohmann::json hist = nlohmann::json::array();
        uint64_t waits = 0;
        for (size_t k = 0; k < GS_WAIT_HIST_BUCKETS; ++k) {
            hist.push_back(a.wait_hist[k] - b.wait_hist[k]);
            waits += a.wait_hist[k] - b.wait_hist[k];
        }
        if (waits == 0 && a.wakeups == b.wakeups) continue;
        out[role_name(static_cast<uint32_t>(r))] = {
            {"wait_hist", hist},
            {"wait_sum_us", (a.wait_sum_ns - b.wait_sum_ns) / 1000},
            {"wakeups", a.wakeups - b.wakeups},
            {"period_sum_us", (a.period_sum_ns - b.period_sum_ns) / 1000},
            {"beat_misses", a.beat_misses - b.beat_misses}};
    }
    return out;
}

}  // namespace

nlohmann::json GameUsage::sample(const SchedulerState& state, const SchedulerMaps& maps) {
    const auto now = std::chrono::steady_clock::now();
    const bool first = last_at_ == std::chrono::steady_clock::time_point{};
    const double interval_ms =
        first ? 0.0 : std::chrono::duration<double, std::milli>(now - last_at_).count();
    last_at_ = now;

    nlohmann::json games = nlohmann::json::array();
    std::map<pid_t, gs_game_stats> stats_now;
    for (const auto& [tgid, g] : state.games()) {
        nlohmann::json entry = {{"pid", tgid}, {"name", g.name}, {"source", g.source}, {"exe", g.exe}};
        if (g.app_id) entry["app_id"] = *g.app_id;
        if (auto stats = read_game_stats(maps.game_stats, tgid)) {
            stats_now[tgid] = *stats;
            auto before = last_stats_.find(tgid);
            const gs_game_stats zero{};
            // A re-attach starts fresh counters: count from zero then.
            const bool fresh = before == last_stats_.end() || stats->runtime_ns < before->second.runtime_ns;
            const gs_game_stats& base = fresh ? zero : before->second;
            entry["roles"] = roles_json(*stats, base);
            entry["cpu_ms"] = static_cast<double>(stats->runtime_ns - base.runtime_ns) / 1e6;
            entry["boosts"] = stats->boosts - base.boosts;
            entry["preempt_kicks"] = stats->preempt_kicks - base.preempt_kicks;
            entry["migrations"] = stats->migrations - base.migrations;
        }
        games.push_back(std::move(entry));
    }
    last_stats_ = std::move(stats_now);

    static const long online = sysconf(_SC_NPROCESSORS_ONLN);
    nlohmann::json cpu = {{"interval_ms", interval_ms},
                          {"capacity_ms", interval_ms * static_cast<double>(online > 0 ? online : 1)}};
    if (auto bg = read_background_ns(maps.background_runtime)) {
        if (last_background_ns_ && *bg >= *last_background_ns_)
            cpu["background_ms"] = static_cast<double>(*bg - *last_background_ns_) / 1e6;
        last_background_ns_ = bg;
    }
    return {{"games", games}, {"cpu", cpu}};
}

}  // namespace gamesched
