#include "helpers/kwin/core_sink.h"

#include "util/log.h"

namespace gamesched::kwin {

CoreSink::CoreSink(std::string socket_path, std::chrono::milliseconds timeout, ipc::Backoff::Policy reconnect)
    : client_({.socket_path = std::move(socket_path),
               .channel = ipc::Channel::hints,
               .timeout = timeout,
               .backoff = reconnect}) {}

Status CoreSink::forward(const FocusReport& report) {
    auto reply = client_.focus_changed(report.pid);
    if (!reply && !reply.error().refused()) {
        if (!reported_unreachable_) {
            spdlog::warn("cannot reach gamesched-core at {} ({}); focus changes are dropped until it is back",
                         client_.socket_path(), reply.error().message());
            reported_unreachable_ = true;
        }
        return Ok{};
    }
    if (reported_unreachable_) {
        spdlog::info("reached gamesched-core at {} again", client_.socket_path());
        reported_unreachable_ = false;
    }
    if (!reply) {
        spdlog::warn("gamesched-core refused the focus hint for pid {}: {}", report.pid,
                     printable(reply.error().message()));
    } else {
        spdlog::debug("gamesched-core accepted focus on pid {}", report.pid);
    }
    return Ok{};
}

}  // namespace gamesched::kwin
