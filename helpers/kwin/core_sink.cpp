#include "helpers/kwin/core_sink.h"

#include "util/log.h"

namespace gamesched::kwin {

CoreSink::CoreSink(std::string socket_path, std::chrono::milliseconds timeout, ipc::Backoff::Policy reconnect)
    : client_({.socket_path = std::move(socket_path),
               .channel = ipc::Channel::hints,
               .timeout = timeout,
               .backoff = reconnect}) {
    client_.on_connect([this](ipc::CoreClient& core) -> ipc::CallResult<Ok> {
        if (compositor_ == 0) return Ok{};
        return name_compositor(core);
    });
}

ipc::CallResult<Ok> CoreSink::name_compositor(ipc::CoreClient& core) {
    auto held = core.desktop_process(compositor_, ipc::DesktopRole::compositor);
    if (held) {
        spdlog::info("gamesched-core treats KWin (pid {}) as the compositor while a game has the focus",
                     compositor_);
    } else if (held.error().refused()) {  // this process's, not the connection's: focus hints still go
        spdlog::warn("gamesched-core refused KWin (pid {}) as the compositor: {}", compositor_,
                     printable(held.error().message()));
    } else {
        return held.error();
    }
    return Ok{};
}

Status CoreSink::compositor(pid_t pid) {
    compositor_ = pid;
    // Not connected: connecting names it (the hook); unreachable: the next connection will.
    auto named = client_.connected() ? name_compositor(client_) : client_.connect();
    if (!named)
        spdlog::debug("naming the compositor: {}; named on the next connection", named.error().message());
    return Ok{};
}

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
    if (!reply && report.pid != 0) {
        spdlog::warn("gamesched-core refused the focus hint for pid {}: {}", report.pid,
                     printable(reply.error().message()));
        // The focus went to a window this user may not name (another user's, a sandbox's): the
        // focus this user set before is stale now, so clear it (docs/protocol.md, focus_changed).
        if (auto cleared = client_.focus_changed(0); !cleared) {
            spdlog::debug("clearing the focus after the refusal: {}", printable(cleared.error().message()));
        }
    } else if (!reply) {
        spdlog::warn("gamesched-core refused to clear the focus: {}", printable(reply.error().message()));
    } else {
        spdlog::debug("gamesched-core accepted focus on pid {}", report.pid);
    }
    return Ok{};
}

}  // namespace gamesched::kwin
