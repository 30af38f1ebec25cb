// The client side of gamesched-mlcollect's request socket (helpers/mlcollect/request_socket.h):
// one JSON request per connection, the body back in {"data": TEXT} records, then {"ok": true} or
// {"ok": false, "error": …, "errno": N}. Used by gameschedctl's profile and ml commands and by
// the D-Bus bridge's profile methods. Blocking: the caller says how long it waits per record.
#pragma once

#include "ipc/call_error.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace gamesched::ipc {

inline constexpr const char* kMlcollectSocketName = "mlcollect.sock";

// Receives the body piece by piece, in order (a CSV export is megabytes: it is not kept whole).
using BodySink = std::function<void(std::string_view)>;

// Failures: unreachable (connect failed; EACCES/EPERM: the socket's mode refused this user,
// otherwise the collector is not running — the message says how to start it), transport (no
// answer within reply_wait, or the connection ended early), protocol (not the collector's
// records), refused (the collector's own words; the code is its errno, ENOENT for an unknown
// game, EINVAL for a bad request).
CallResult<Ok> mlcollect_request(const std::string& socket_path, const nlohmann::json& request,
                                 const BodySink& body, std::chrono::milliseconds reply_wait);

// The same, with the body returned whole.
CallResult<std::string> mlcollect_request(const std::string& socket_path, const nlohmann::json& request,
                                          std::chrono::milliseconds reply_wait);

}  // namespace gamesched::ipc
