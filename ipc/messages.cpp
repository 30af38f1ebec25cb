#include "ipc/messages.h"

#include <type_traits>

namespace gamesched::ipc {

// Ranges keep every value within what the BPF policy arithmetic was written for: slices between
// 50 us and 100 ms, a runtime cap (which bounds how long newer tasks can overtake a waiting one)
// far below the sched_ext watchdog, boosts that can never shrink a deadline to zero (<= 90 %).
const std::array<TunableRange, 10> kTunableRanges = {{
    {"slice_us", 50, 100'000, &Tunables::slice_us},
    {"slice_min_us", 10, 100'000, &Tunables::slice_min_us},
    {"lag_clamp_us", 100, 1'000'000, &Tunables::lag_clamp_us},
    {"runtime_cap_us", 1'000, 1'000'000, &Tunables::runtime_cap_us},
    {"input_window_keyboard_us", 0, 500'000, &Tunables::input_window_keyboard_us},
    {"input_window_mouse_us", 0, 500'000, &Tunables::input_window_mouse_us},
    {"input_window_gamepad_us", 0, 500'000, &Tunables::input_window_gamepad_us},
    {"game_boost_pct", 0, 90, &Tunables::game_boost_pct},
    {"focus_boost_pct", 0, 90, &Tunables::focus_boost_pct},
    {"input_boost_pct", 0, 90, &Tunables::input_boost_pct},
}};

MessageType message_type(const Message& message) {
    return std::visit([](const auto& m) { return std::decay_t<decltype(m)>::info.type; }, message);
}

}  // namespace gamesched::ipc
