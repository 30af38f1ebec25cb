// What `gameschedctl top`, `stats` and `monitor` show, computed from one snapshot of the core
// (get_status on control.sock, or GetStats over D-Bus: the same JSON, see docs/protocol.md) and
// its latest stats sample: state, mode, focus, per-game thread roles with their wait-time
// p50/p99, boosts and preemptions per second. Pure: no I/O, unit-tested.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace gamesched::ctl {

struct RoleRow {
    std::string role;
    int threads = 0;
    std::uint64_t waits = 0;  // waits measured over the sample's interval
    std::uint64_t p50_us = 0, p99_us = 0;
};

struct GameRow {
    int pid = 0;
    std::uint32_t uid = 0;
    std::string name;
    std::string source;
    bool focused = false;
    double cpu_pct = 0;  // of one CPU, over the sample's interval
    std::vector<RoleRow> roles;
};

struct LiveView {
    std::string state;  // the kernel's sched_ext state; "unknown" without a report
    std::string ops;
    std::string mode;
    int focus_pid = 0;
    bool have_sample = false;
    double interval_s = 0;
    double boosts_per_s = 0;
    double preemptions_per_s = 0;
    std::vector<RoleRow> all_roles;  // wait p50/p99 per role over every task
    std::vector<GameRow> games;
};

[[nodiscard]] LiveView make_live_view(const nlohmann::json& snapshot);

// monitor's line: the view as one JSON object.
[[nodiscard]] nlohmann::json to_json(const LiveView& view);

// The screen of `top` (and of `top --plain`), one string per line, at most width columns.
// via: where the data came from ("control.sock", "D-Bus").
[[nodiscard]] std::vector<std::string> render(const LiveView& view, const std::string& via, int width);

}  // namespace gamesched::ctl
