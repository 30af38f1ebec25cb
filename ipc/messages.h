// The message set of the protocol: one struct per message type, one variant over them.
// Field meanings, units and ranges are documented in docs/protocol.md; the decoder enforces them.
#pragma once

#include "ipc/protocol.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace gamesched::ipc {

// A process id in the core's PID namespace (a TGID; threads are refused by the core).
using Pid = std::int32_t;

// Hints about the sender's own processes (hints.sock and control.sock).
struct GameStarted {
    Pid pid = 0;
    std::optional<std::string> app_id;  // launcher's id: Steam app id, Lutris slug, ...
    std::string name;
    std::string source;  // which rule decided: "steam", "proton", "wine", "gamescope", ...
    int confidence = 0;  // 0..100
    bool operator==(const GameStarted&) const = default;
};

struct GameExited {
    Pid pid = 0;
    bool operator==(const GameExited&) const = default;
};

struct FocusChanged {
    Pid pid = 0;  // 0 = no window focused (clears the sender's focus)
    bool operator==(const FocusChanged&) const = default;
};

// GameMode-like explicit registration. on_behalf_of_uid is accepted on control.sock only: the
// D-Bus bridge registers for its caller, whose uid it took from the bus.
struct RegisterGame {
    Pid pid = 0;
    std::optional<std::uint32_t> on_behalf_of_uid;
    bool operator==(const RegisterGame&) const = default;
};

struct UnregisterGame {
    Pid pid = 0;
    std::optional<std::uint32_t> on_behalf_of_uid;
    bool operator==(const UnregisterGame&) const = default;
};

// Adopts the leases this uid's earlier, now closed, connections left behind.
struct Renew {
    bool operator==(const Renew&) const = default;
};

// Mirrors struct gs_tunables (bpf/intf.h) in microseconds; absent fields stay unchanged.
struct Tunables {
    std::optional<std::uint64_t> slice_us;
    std::optional<std::uint64_t> slice_min_us;
    std::optional<std::uint64_t> lag_clamp_us;
    std::optional<std::uint64_t> starvation_bound_us;
    std::optional<std::uint64_t> input_window_keyboard_us;  // 0 = off
    std::optional<std::uint64_t> input_window_mouse_us;     // 0 = off
    std::optional<std::uint64_t> input_window_gamepad_us;   // 0 = off
    std::optional<std::uint64_t> game_boost_pct;
    std::optional<std::uint64_t> focus_boost_pct;
    std::optional<std::uint64_t> input_boost_pct;
    std::optional<bool> preempt_enabled;
    bool operator==(const Tunables&) const = default;
};

// One numeric tunable: its wire name, accepted range and where it lives. The decoder, encoder
// and docs all follow this table.
struct TunableRange {
    std::string_view name;
    std::uint64_t min;
    std::uint64_t max;
    std::optional<std::uint64_t> Tunables::*member;
};
extern const std::array<TunableRange, 10> kTunableRanges;

struct SetTunables {
    Tunables tunables;
    bool operator==(const SetTunables&) const = default;
};

// scx_loader's mode numbers (enum gs_mode in bpf/intf.h).
enum class Mode : std::uint8_t { auto_ = 0, gaming = 1, powersave = 2, lowlatency = 3, server = 4 };
[[nodiscard]] std::string_view mode_name(Mode mode);
[[nodiscard]] std::optional<Mode> mode_from_name(std::string_view name);

struct SetMode {
    Mode mode = Mode::auto_;
    bool operator==(const SetMode&) const = default;
};

struct GetStatus {
    bool operator==(const GetStatus&) const = default;
};

inline constexpr std::uint32_t kMinStatsIntervalMs = 100;
inline constexpr std::uint32_t kMaxStatsIntervalMs = 60000;
inline constexpr std::uint32_t kDefaultStatsIntervalMs = 1000;

// Replaces the connection's subscriptions; no topics = unsubscribe from everything.
struct Subscribe {
    bool process_events = false;
    bool stats = false;
    std::uint32_t interval_ms = kDefaultStatsIntervalMs;  // stats push interval
    bool operator==(const Subscribe&) const = default;
};

enum class ProcessEventKind : std::uint8_t { exec = 1, exit = 2 };  // = enum gs_proc_event_kind

// Pushed by the core to process_events subscribers.
struct ProcessEvent {
    ProcessEventKind kind = ProcessEventKind::exec;
    Pid pid = 0;
    Pid ppid = 0;
    std::uint32_t uid = 0;
    std::string comm;  // kernel task name; the encoder replaces bytes that are not printable UTF-8
    std::uint64_t ts_ns = 0;
    bool operator==(const ProcessEvent&) const = default;
};

// Pushed by the core to stats subscribers. The sample object's schema belongs to the core.
struct StatsSample {
    nlohmann::json sample = nlohmann::json::object();
    bool operator==(const StatsSample&) const = default;
};

using Message = std::variant<GameStarted, GameExited, FocusChanged, RegisterGame, UnregisterGame, Renew,
                             SetTunables, SetMode, GetStatus, Subscribe, ProcessEvent, StatsSample>;

[[nodiscard]] MessageType message_type(const Message& message);

// A client's request: its id is echoed in the reply.
struct Request {
    std::uint64_t id = 0;
    Message message;
    bool operator==(const Request&) const = default;
};

// The core's answer to one request. id is absent when the request was too broken to carry one.
struct Reply {
    std::optional<std::uint64_t> id;
    bool ok = false;
    std::string error;                               // set when !ok
    nlohmann::json body = nlohmann::json::object();  // extra fields of an ok reply
    bool operator==(const Reply&) const = default;
};

}  // namespace gamesched::ipc
