// The registry of the protocol: one struct per message type, each carrying its row of the table
// (`info`: number, name, direction, who may send it, rate limit, purpose) and, for requests, its
// reply type (ipc/replies.h). `Message` lists them all. The codec, the server's handlers, the
// typed client and docs/protocol.md's table follow from here; adding a message type means one
// struct here, one handler in core/server and one CoreClient method.
// Field meanings, units and ranges are documented in docs/protocol.md; the decoder enforces them.
#pragma once

#include "ipc/protocol.h"
#include "ipc/replies.h"
#include "ipc/reply_codec.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace gamesched::ipc {

// The uid a delegate (root, or the D-Bus bridge's user) acts for: ownership checks and budgets
// apply to that uid instead of the sender's. Refused from anyone else (docs/protocol.md).
using OnBehalfOf = std::optional<std::uint32_t>;

// Hints about the sender's own processes (hints.sock and control.sock).
struct GameStarted {
    static constexpr MessageTypeInfo info{MessageType::game_started,
                                          "game_started",
                                          Direction::request,
                                          Access::anyone,
                                          Rate::limited,
                                          "a process is a game (from gamesched-detect)"};
    using Reply = GameHeld;
    Pid pid = 0;
    std::optional<std::string> app_id;  // launcher's id: Steam app id, Lutris slug, ...
    std::string name;
    std::string source;  // which rule decided: "steam", "proton", "wine", "gamescope", ...
    int confidence = 0;  // 0..100
    bool operator==(const GameStarted&) const = default;
};

struct GameExited {
    static constexpr MessageTypeInfo info{MessageType::game_exited, "game_exited", Direction::request,
                                          Access::anyone,           Rate::limited, "withdraw a game hint"};
    using Reply = GameReleased;
    Pid pid = 0;
    bool operator==(const GameExited&) const = default;
};

struct FocusChanged {
    static constexpr MessageTypeInfo info{MessageType::focus_changed,
                                          "focus_changed",
                                          Direction::request,
                                          Access::anyone,
                                          Rate::limited,
                                          "the focused window's process (from gamesched-kwin)"};
    using Reply = FocusUpdated;
    Pid pid = 0;  // 0 = no window focused (clears the sender's focus)
    bool operator==(const FocusChanged&) const = default;
};

// GameMode-like explicit registration. on_behalf_of: the D-Bus bridge registers for its caller,
// whose uid it took from the bus; the target must belong to that uid.
struct RegisterGame {
    static constexpr MessageTypeInfo info{MessageType::register_game,
                                          "register_game",
                                          Direction::request,
                                          Access::anyone,
                                          Rate::limited,
                                          "GameMode-like explicit registration"};
    using Reply = GameHeld;
    Pid pid = 0;
    OnBehalfOf on_behalf_of{};
    bool operator==(const RegisterGame&) const = default;
};

struct UnregisterGame {
    static constexpr MessageTypeInfo info{
        MessageType::unregister_game, "unregister_game", Direction::request, Access::anyone, Rate::limited,
        "withdraw a registration"};
    using Reply = GameReleased;
    Pid pid = 0;
    OnBehalfOf on_behalf_of{};
    bool operator==(const UnregisterGame&) const = default;
};

// The sender's compositor or audio server: while a game has the focus it gets the latency share
// the game's own thread of that kind gets (bpf/desktop.bpf.h). Held like a game hint, for the
// sender's own processes only.
struct DesktopProcess {
    static constexpr MessageTypeInfo info{
        MessageType::desktop_process,
        "desktop_process",
        Direction::request,
        Access::anyone,
        Rate::limited,
        "the sender's compositor or audio server (gamesched-kwin, -detect)"};
    using Reply = DesktopHeld;
    Pid pid = 0;
    DesktopRole role = DesktopRole::compositor;
    bool operator==(const DesktopProcess&) const = default;
};

// Adopts the leases this uid's earlier, now closed, connections left behind.
struct Renew {
    static constexpr MessageTypeInfo info{
        MessageType::renew, "renew",       Direction::request,
        Access::anyone,     Rate::limited, "adopt leases left by this uid's closed connections"};
    using Reply = Renewed;
    bool operator==(const Renew&) const = default;
};

// Mirrors struct gs_tunables (bpf/intf.h) in microseconds; absent fields stay unchanged.
struct Tunables {
    std::optional<std::uint64_t> slice_us;
    std::optional<std::uint64_t> slice_min_us;
    std::optional<std::uint64_t> lag_clamp_us;
    std::optional<std::uint64_t> runtime_cap_us;
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
    static constexpr MessageTypeInfo info{
        MessageType::set_tunables, "set_tunables", Direction::request,
        Access::control,           Rate::free,     "change scheduler tunables at runtime"};
    using Reply = Done;
    Tunables tunables;
    OnBehalfOf on_behalf_of{};  // logged: whom the bridge changed them for
    bool operator==(const SetTunables&) const = default;
};

struct SetMode {
    static constexpr MessageTypeInfo info{MessageType::set_mode, "set_mode", Direction::request,
                                          Access::control,       Rate::free, "scx_loader-compatible mode"};
    using Reply = ModeSet;
    Mode mode = Mode::auto_;
    OnBehalfOf on_behalf_of{};  // logged: whom the bridge changed it for
    bool operator==(const SetMode&) const = default;
};

struct GetStatus {
    static constexpr MessageTypeInfo info{
        MessageType::get_status, "get_status",  Direction::request,
        Access::anyone,          Rate::limited, "leases, server state; scheduler state on control"};
    using Reply = CoreStatus;
    bool operator==(const GetStatus&) const = default;
};

inline constexpr std::uint32_t kMinStatsIntervalMs = 100;
inline constexpr std::uint32_t kMaxStatsIntervalMs = 60000;
inline constexpr std::uint32_t kDefaultStatsIntervalMs = 1000;

// Replaces the connection's subscriptions; no topics = unsubscribe from everything.
struct Subscribe {
    static constexpr MessageTypeInfo info{MessageType::subscribe, "subscribe",
                                          Direction::request,     Access::anyone,
                                          Rate::limited,          "process events; stats (control only)"};
    using Reply = Subscribed;
    bool process_events = false;
    bool stats = false;
    std::uint32_t interval_ms = kDefaultStatsIntervalMs;  // stats push interval
    bool operator==(const Subscribe&) const = default;
};

// Detaches the scheduler and keeps it off: the core exits ("stopped by the user") and its socket
// units stop, so activation does not bring it back until it is started through systemd.
struct Stop {
    static constexpr MessageTypeInfo info{
        MessageType::stop, "stop",     Direction::request,
        Access::admin,     Rate::free, "detach the scheduler and keep it off until started again"};
    using Reply = Done;
    OnBehalfOf on_behalf_of{};  // the administrator the bridge stops it for, for the journal
    bool operator==(const Stop&) const = default;
};

enum class ProcessEventKind : std::uint8_t { exec = 1, exit = 2 };  // = enum gs_proc_event_kind

// Pushed by the core to process_events subscribers.
struct ProcessEvent {
    static constexpr MessageTypeInfo info{
        MessageType::process_event, "process_event", Direction::push, Access::none, Rate::free,
        "exec/exit of a process"};
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
    static constexpr MessageTypeInfo info{
        MessageType::stats_sample, "stats_sample", Direction::push, Access::none, Rate::free,
        "scheduler statistics"};
    nlohmann::json sample = nlohmann::json::object();
    bool operator==(const StatsSample&) const = default;
};

using Message =
    std::variant<GameStarted, GameExited, FocusChanged, RegisterGame, UnregisterGame, Renew, DesktopProcess,
                 SetTunables, SetMode, GetStatus, Subscribe, Stop, ProcessEvent, StatsSample>;

[[nodiscard]] MessageType message_type(const Message& message);

// A message type that a delegate may send for someone else.
template <typename M>
concept Delegable = requires(M m) {
    m.on_behalf_of;
};

// A message with no fields of its own (nothing, or only the generic on_behalf_of): the codec
// needs no reader or writer for it.
template <typename M>
concept FieldLess = std::is_empty_v<M> ||(Delegable<M> && sizeof(M) == sizeof(OnBehalfOf));

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
    int code = 0;  // errno of a refusal, 0 = unspecified (wire: "errno", docs/protocol.md)
    bool operator==(const Reply&) const = default;
};

}  // namespace gamesched::ipc
