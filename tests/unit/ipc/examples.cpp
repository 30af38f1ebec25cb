#include "tests/unit/ipc/examples.h"

#include <cerrno>

namespace gamesched::ipc::test {

std::vector<RequestExample> request_examples() {
    Tunables all;
    all.slice_us = 5000;
    all.slice_min_us = 250;
    all.lag_clamp_us = 20000;
    all.runtime_cap_us = 100000;
    all.input_window_keyboard_us = 4000;
    all.input_window_mouse_us = 8000;
    all.input_window_gamepad_us = 0;
    all.game_boost_pct = 50;
    all.focus_boost_pct = 25;
    all.input_boost_pct = 90;
    all.preempt_enabled = true;
    Tunables one;
    one.game_boost_pct = 0;

    using enum Channel;
    return {
        {hints, {1, GameStarted{4242, "570", "Dota 2", "steam", 95}}},
        {hints, {2, GameStarted{1, std::nullopt, "Ünïcødé — 游戏", "wine", 0}}},
        {control, {3, GameStarted{4194304, "com.example.Game:beta_1", "x", "gamescope", 100}}},
        {hints, {4, GameExited{4242}}},
        {hints, {5, FocusChanged{777}}},
        {hints, {6, FocusChanged{0}}},
        {hints, {7, RegisterGame{31337, std::nullopt}}},
        {control, {8, RegisterGame{31337, 1000u}}},
        {hints, {9, UnregisterGame{31337, std::nullopt}}},
        {control, {10, UnregisterGame{31337, 0u}}},
        {hints, {11, Renew{}}},
        {hints, {21, DesktopProcess{1312, DesktopRole::compositor}}},
        {control, {22, DesktopProcess{4194304, DesktopRole::audio}}},
        {control, {12, SetTunables{.tunables = all}}},
        {control, {13, SetTunables{.tunables = one}}},
        {control, {14, SetMode{.mode = Mode::auto_}}},
        {control, {15, SetMode{.mode = Mode::lowlatency, .on_behalf_of = 1000u}}},
        {hints, {16, GetStatus{}}},
        {control, {kMaxRequestId, GetStatus{}}},
        {hints, {0, Subscribe{true, false, kDefaultStatsIntervalMs}}},
        {control, {18, Subscribe{true, true, kMinStatsIntervalMs}}},
        {control, {19, Subscribe{false, true, kMaxStatsIntervalMs}}},
        {hints, {20, Subscribe{false, false, kDefaultStatsIntervalMs}}},
        {control, {21, Stop{}}},
        {control, {22, Stop{1000u}}},
    };
}

std::vector<Message> push_examples() {
    return {
        ProcessEvent{ProcessEventKind::exec, 4242, 1, 1000, "wine64-preload", 123456789},
        ProcessEvent{ProcessEventKind::exit, 4194304, 0, 4294967295u, "", ~std::uint64_t{0}},
        StatsSample{{{"ts_ns", 5}, {"cpus", {{{"cpu", 0}, {"enqueue", 10}}}}, {"games", 1}}},
        StatsSample{},
    };
}

std::vector<Reply> reply_examples() {
    return {
        ok_reply(1),
        ok_reply(2, {{"renewed", 3}, {"games", {{{"pid", 4242}}}}}),
        error_reply(3, "pid 1 belongs to uid 0, not to you (uid 1000)", EPERM),
        error_reply(4, "rate limit: uid 1000 sent more than 50 hints per second", EAGAIN),
        error_reply(std::nullopt, "message is not valid JSON"),
    };
}

}  // namespace gamesched::ipc::test
