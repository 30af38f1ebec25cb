#include "ipc/messages.h"

#include <type_traits>

namespace gamesched::ipc {

// Ranges keep every value within what the BPF policy arithmetic was written for: slices between
// 50 us and 100 ms, a starvation bound far below the sched_ext watchdog (30 s), boosts that can
// never shrink a deadline to zero (<= 90 %).
const std::array<TunableRange, 10> kTunableRanges = {{
    {"slice_us", 50, 100'000, &Tunables::slice_us},
    {"slice_min_us", 10, 100'000, &Tunables::slice_min_us},
    {"lag_clamp_us", 100, 1'000'000, &Tunables::lag_clamp_us},
    {"starvation_bound_us", 1'000, 1'000'000, &Tunables::starvation_bound_us},
    {"input_window_keyboard_us", 0, 500'000, &Tunables::input_window_keyboard_us},
    {"input_window_mouse_us", 0, 500'000, &Tunables::input_window_mouse_us},
    {"input_window_gamepad_us", 0, 500'000, &Tunables::input_window_gamepad_us},
    {"game_boost_pct", 0, 90, &Tunables::game_boost_pct},
    {"focus_boost_pct", 0, 90, &Tunables::focus_boost_pct},
    {"input_boost_pct", 0, 90, &Tunables::input_boost_pct},
}};

namespace {
constexpr std::array<std::string_view, 5> kModeNames = {"auto", "gaming", "powersave", "lowlatency",
                                                        "server"};
}  // namespace

std::string_view mode_name(Mode mode) {
    return kModeNames.at(static_cast<std::size_t>(mode));
}

std::optional<Mode> mode_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kModeNames.size(); ++i) {
        if (kModeNames[i] == name) return static_cast<Mode>(i);
    }
    return std::nullopt;
}

MessageType message_type(const Message& message) {
    return std::visit(
        [](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, GameStarted>)
                return MessageType::game_started;
            else if constexpr (std::is_same_v<T, GameExited>)
                return MessageType::game_exited;
            else if constexpr (std::is_same_v<T, FocusChanged>)
                return MessageType::focus_changed;
            else if constexpr (std::is_same_v<T, RegisterGame>)
                return MessageType::register_game;
            else if constexpr (std::is_same_v<T, UnregisterGame>)
                return MessageType::unregister_game;
            else if constexpr (std::is_same_v<T, Renew>)
                return MessageType::renew;
            else if constexpr (std::is_same_v<T, SetTunables>)
                return MessageType::set_tunables;
            else if constexpr (std::is_same_v<T, SetMode>)
                return MessageType::set_mode;
            else if constexpr (std::is_same_v<T, GetStatus>)
                return MessageType::get_status;
            else if constexpr (std::is_same_v<T, Subscribe>)
                return MessageType::subscribe;
            else if constexpr (std::is_same_v<T, ProcessEvent>)
                return MessageType::process_event;
            else {
                static_assert(std::is_same_v<T, StatsSample>);
                return MessageType::stats_sample;
            }
        },
        message);
}

}  // namespace gamesched::ipc
