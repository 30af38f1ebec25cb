// What a stand-in core in a unit test answers: the typed ok reply the real core would send for
// the request's type (ipc/replies.h), echoing the pid where the reply carries one.
#pragma once

#include "ipc/codec.h"
#include "ipc/messages.h"

#include <type_traits>
#include <variant>

namespace gamesched::testing {

inline ipc::Reply fake_ok_reply(const ipc::Request& request) {
    return std::visit(
        [&request](const auto& message) -> ipc::Reply {
            using M = std::decay_t<decltype(message)>;
            if constexpr (M::info.direction == ipc::Direction::push) {
                return ipc::error_reply(request.id, "not a request");
            } else {
                typename M::Reply reply{};
                if constexpr (requires { reply.pid = message.pid; }) reply.pid = message.pid;
                return ipc::ok_reply(request.id, ipc::reply_body(reply));
            }
        },
        request.message);
}

}  // namespace gamesched::testing
