// Why a request to the core did not succeed. A refusal (the core answered ok:false, with its own
// words on what to do) is a different thing from not reaching the core, and callers react
// differently: log and carry on, or reconnect. A refusal's code is the errno the core gave for it
// (the reply's "errno": EPERM, ESRCH, EAGAIN, ...; 0 when it gave none), for clients that map
// refusals to error names of their own, as the D-Bus bridge does.
#pragma once

#include "util/result.h"

#include <string>

namespace gamesched::ipc {

enum class CallFailure {
    refused,      // the core answered ok:false; message is its explanation
    unreachable,  // no connection: connect failed, or waiting out the reconnect backoff
    transport,    // the connection broke or timed out; it has been dropped
    protocol,     // the core's answer did not match the protocol; the connection has been dropped
};

struct CallError {
    CallFailure kind = CallFailure::transport;
    Error error;  // errno-style code where one applies (refused: the core's), and the message

    [[nodiscard]] bool refused() const { return kind == CallFailure::refused; }
    [[nodiscard]] const std::string& message() const { return error.message; }
    [[nodiscard]] CallError context(const std::string& what) const { return {kind, error.context(what)}; }
};

template <typename T>
using CallResult = Result<T, CallError>;

}  // namespace gamesched::ipc
