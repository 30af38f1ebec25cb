// The typed replies of the protocol: what an ok:true reply to each request carries. Each request
// struct names its reply type (ipc/messages.h); the server's handlers return it and CoreClient
// hands it back, so both sides compile against one C++ type per answer.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gamesched::ipc {

using Pid = std::int32_t;

// scx_loader's mode numbers (enum gs_mode in bpf/intf.h).
enum class Mode : std::uint8_t { auto_ = 0, gaming = 1, powersave = 2, lowlatency = 3, server = 4 };
inline constexpr std::uint8_t kModeCount = 5;

// What a desktop process is to a focused game (enum gs_desktop_role in bpf/intf.h, same numbers).
enum class DesktopRole : std::uint8_t { compositor = 1, audio = 2 };

// desktop_process: the compositor or audio server the core now holds, and whose process it is.
struct DesktopHeld {
    Pid pid = 0;
    std::uint32_t owner_uid = 0;
    DesktopRole role = DesktopRole::compositor;
    bool operator==(const DesktopHeld&) const = default;
};

// game_started, register_game: the game the core now holds, and whose process it is.
struct GameHeld {
    Pid pid = 0;
    std::uint32_t owner_uid = 0;
    bool operator==(const GameHeld&) const = default;
};

// game_exited, unregister_game: false when no game was held for the pid.
struct GameReleased {
    bool removed = false;
    bool operator==(const GameReleased&) const = default;
};

// focus_changed: the focused pid; for pid 0, whether a focus was there to clear.
struct FocusUpdated {
    Pid pid = 0;
    bool cleared = false;  // meaningful for pid 0 only
    bool operator==(const FocusUpdated&) const = default;
};

struct Renewed {
    std::uint64_t renewed = 0;  // leases adopted
    bool operator==(const Renewed&) const = default;
};

// A request that has nothing to report beyond its success (set_tunables).
struct Done {
    bool operator==(const Done&) const = default;
};

struct ModeSet {
    Mode mode = Mode::auto_;
    bool operator==(const ModeSet&) const = default;
};

struct Subscribed {
    bool process_events = false;
    bool stats = false;
    std::optional<std::uint32_t> interval_ms;  // with stats
    bool operator==(const Subscribed&) const = default;
};

// One lease as get_status shows it.
struct LeaseView {
    Pid pid = 0;
    std::uint32_t owner_uid = 0;   // the process's real uid
    std::uint32_t sender_uid = 0;  // the uid the hint was sent for (the bridge's caller, not the bridge)
    bool held = false;             // false: its sender disconnected; expires_in_ms applies
    std::optional<std::int64_t> expires_in_ms;
    bool operator==(const LeaseView&) const = default;
};

struct GameView {
    LeaseView lease;
    std::string name;
    std::string source;
    int confidence = 0;
    std::optional<std::string> app_id;
    bool operator==(const GameView&) const = default;
};

struct CoreStatus {
    std::vector<GameView> games;
    std::optional<LeaseView> focus;
    bool socket_activated = false;
    std::uint32_t your_uid = 0;
    bool you_may_control = false;
    // control.sock only: the server's counters and limits, and the scheduler's state (sched_ext
    // state, mode, tunables, counters; its schema is the core's, see docs/protocol.md). Null on
    // hints.sock.
    nlohmann::json server_details = nlohmann::json::object();
    nlohmann::json scheduler = nullptr;
    bool operator==(const CoreStatus&) const = default;
};

}  // namespace gamesched::ipc
