// The one JSON codec of the protocol. Decoding never throws and checks everything: size, UTF-8,
// structure, version, type, channel, every field's type and range, unknown fields.
#pragma once

#include "ipc/messages.h"
#include "ipc/protocol.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace gamesched::ipc {

// The part of a request checked before its type's fields: after this step the request id is
// known, so later failures can be answered with it.
// The implicit move constructor is noexcept, as is nlohmann::json's; clang-tidy 14 follows json's
// debug-only invariant check into code that throws.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct Envelope {
    std::uint64_t id = 0;
    MessageType type = MessageType::get_status;
    nlohmann::json object;
};

[[nodiscard]] Result<Envelope> parse_request_envelope(std::string_view record, Channel channel);
[[nodiscard]] Result<Message> decode_request_body(const Envelope& envelope, Channel channel);
[[nodiscard]] Result<Request> decode_request(std::string_view record, Channel channel);

// What a client receives: a reply to one of its requests, or a message pushed by the core.
using ServerRecord = std::variant<Reply, Message>;
[[nodiscard]] Result<ServerRecord> decode_server_record(std::string_view record, Channel channel);

[[nodiscard]] std::string encode_request(const Request& request);
[[nodiscard]] std::string encode_push(const Message& message);
[[nodiscard]] std::string encode_reply(const Reply& reply);

[[nodiscard]] Reply ok_reply(std::optional<std::uint64_t> id, nlohmann::json body = nlohmann::json::object());
// code: the errno of the refusal; sent as its name when it has one (errno_wire_name).
[[nodiscard]] Reply error_reply(std::optional<std::uint64_t> id, std::string error, int code = 0);

// Field limits, shared by decoder, docs and tests.
inline constexpr std::size_t kMaxNameBytes = 128;
inline constexpr std::size_t kMaxAppIdBytes = 64;
inline constexpr std::size_t kMaxSourceBytes = 32;
inline constexpr std::size_t kMaxCommBytes = 64;  // 15 kernel bytes, each possibly U+FFFD
inline constexpr std::size_t kMaxErrnoNameBytes = 16;
inline constexpr std::size_t kMaxErrorBytes = 1024;

}  // namespace gamesched::ipc
