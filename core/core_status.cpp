// What the core reports: get_status's kernel part and the periodic stats sample (printed with
// --stats, pushed to stats subscribers). Both read the kernel's state; neither changes it.
#include <bpf/bpf.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/core.h"

namespace gamesched {

using std::chrono::milliseconds;

nlohmann::json Core::live_status() {
    nlohmann::json out;
    if (auto st = sysfs_.read()) {
        out["sched_ext"] = {{"state", st->state}, {"ops", st->ops}, {"nr_rejected", st->nr_rejected}};
    }
    out["attached"] = scheduler_ != nullptr;
    if (scheduler_) {
        out["input_path"] = scheduler_->input_in_kernel() ? "kernel" : "userspace";
        if (auto c = read_counters(scheduler_->stats_fd()))
            out["counters_total"] = counters_json(*c, Counters{});
        auto maps = scheduler_->maps();
        if (maps.game_threads >= 0) {
            if (auto threads = read_game_threads(maps.game_threads))
                out["game_threads"] = game_threads_json(*threads);
        }
        if (maps.games >= 0) {
            if (auto games = read_game_tgids(maps.games)) out["games_in_kernel"] = *games;
        }
        if (maps.desktop_procs >= 0) {
            if (auto desktop = read_game_tgids(maps.desktop_procs, GS_MAX_DESKTOP_PROCS))
                out["desktop_in_kernel"] = *desktop;
        }
        if (maps.focus >= 0) {
            if (auto focus = read_focus(maps.focus)) out["focus_in_kernel"] = *focus;
        }
        if (maps.tunables >= 0) {  // read back from the map, not the core's own copy
            gs_tunables t{};
            uint32_t zero = 0;
            if (bpf_map_lookup_elem(maps.tunables, &zero, &t) == 0)
                out["tunables_in_kernel"] = tunables_json(t);
        }
    }
    if (server_) out["socket_activated"] = server_->socket_activated();
    return out;
}

// One sample per period: printed with --stats, pushed to stats subscribers.
void Core::sample_stats() {
    nlohmann::json line;
    line["ts"] =
        std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (auto st = sysfs_.read()) {
        line["sched_ext"] = {{"state", st->state}, {"ops", st->ops}, {"nr_rejected", st->nr_rejected}};
    }
    if (scheduler_) {
        if (auto c = read_counters(scheduler_->stats_fd())) {
            line["counters"] = counters_json(*c, last_counters_);
            last_counters_ = *c;
        }
        auto maps = scheduler_->maps();
        if (maps.wait_hist >= 0) {
            if (auto h = read_wait_histogram(maps.wait_hist)) {
                line["wait"] = wait_histogram_json(*h, last_hist_);
                last_hist_ = *h;
            }
        }
        if (maps.game_threads >= 0 && !state_.games().empty()) {
            if (auto threads = read_game_threads(maps.game_threads))
                line["game_threads"] = game_threads_json(*threads);
        }
        line["state"] = state_.to_json();
        nlohmann::json usage = game_usage_.sample(state_, maps);
        line["games"] = std::move(usage["games"]);
        line["cpu"] = std::move(usage["cpu"]);
    }
    if (server_) server_->publish_stats(line);
    if (options_.stats_interval_s > 0) {
        std::printf("%s\n", line.dump().c_str());
        std::fflush(stdout);
    }
}

}  // namespace gamesched
