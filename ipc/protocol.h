// Protocol constants and the one table of message types. Wire names and numbers are stable:
// a number is never reused, a name never changes meaning. See docs/protocol.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace gamesched::ipc {

inline constexpr int kProtocolVersion = 1;

// One record per SOCK_SEQPACKET message; anything bigger is a transport error.
inline constexpr std::size_t kHintsMaxRecord = 4 * 1024;
inline constexpr std::size_t kControlMaxRecord = 64 * 1024;

// PID_MAX_LIMIT on 64-bit kernels; pid 0 is the idle task, never a valid target.
inline constexpr std::int64_t kMinPid = 1;
inline constexpr std::int64_t kMaxPid = 4194304;

// Request ids are echoed verbatim; 2^53-1 keeps them exact in every JSON implementation.
inline constexpr std::uint64_t kMaxRequestId = (std::uint64_t{1} << 53) - 1;

// Deeper nesting than any message needs is refused before it costs anything.
inline constexpr int kMaxJsonDepth = 8;

enum class Channel : std::uint8_t {
    hints,    // hints.sock: anyone; ownership-checked hints about the sender's own processes
    control,  // control.sock: root and group gamesched; everything
};

[[nodiscard]] constexpr std::size_t max_record_size(Channel channel) {
    return channel == Channel::hints ? kHintsMaxRecord : kControlMaxRecord;
}
[[nodiscard]] std::string_view channel_name(Channel channel);

// Stable numbers: requests below 32, core-pushed messages from 32 on. Never renumber or reuse.
enum class MessageType : std::uint16_t {
    game_started = 1,
    game_exited = 2,
    focus_changed = 3,
    register_game = 4,
    unregister_game = 5,
    renew = 6,
    desktop_process = 7,
    set_tunables = 16,
    set_mode = 17,
    get_status = 18,
    subscribe = 19,
    stop = 20,
    process_event = 32,
    stats_sample = 33,
};

enum class Direction : std::uint8_t { request, push };

// Who may send a request. The core decides from kernel-provided identity only (SO_PEERCRED).
enum class Access : std::uint8_t {
    anyone,   // hints.sock and control.sock; hints name the sender's own processes
    control,  // control.sock: root and group gamesched
    admin,    // control.sock: root, or the D-Bus bridge forwarding for a polkit-authorised admin
    none,     // pushed by the core, never accepted from clients
};

// Whether a request costs a token of the acting uid's hint budget (docs/protocol.md, Limits).
enum class Rate : std::uint8_t { limited, free };

// One row of the registry. Each message struct (ipc/messages.h) carries its row as `info`;
// the table of all rows, the codec, the server's handlers and docs/protocol.md follow from it.
struct MessageTypeInfo {
    MessageType type;
    std::string_view name;
    Direction direction;
    Access access;
    Rate rate;
    std::string_view purpose;  // one line, for docs/protocol.md's table
};

// Every row, in the order of the Message variant.
[[nodiscard]] std::span<const MessageTypeInfo> all_types();
[[nodiscard]] const MessageTypeInfo& type_info(MessageType type);
[[nodiscard]] std::optional<MessageType> type_from_name(std::string_view name);
[[nodiscard]] std::string_view type_name(MessageType type);
// Whether a client of this channel may send this type at all (admin also needs the right peer).
[[nodiscard]] bool request_allowed(MessageType type, Channel channel);
// "hints.sock and control.sock", "control.sock (root, group gamesched)", ... for error texts.
[[nodiscard]] std::string_view access_description(Access access);

// The cause of a refusal, as the "errno" field of an ok:false reply spells it ("EPERM": not
// allowed, not yours; "ESRCH": no such process; "EAGAIN": rate limit; ...). Clients that act
// for others (the D-Bus bridge) map it to their own error names; the text stays the message.
// nullopt / 0: a code without a wire name, or a name this version does not know.
[[nodiscard]] std::optional<std::string_view> errno_wire_name(int code);
[[nodiscard]] int errno_from_wire_name(std::string_view name);

}  // namespace gamesched::ipc
