// Focus changes as focus_changed hints on gamesched-core's hint socket (ipc/). The connection is
// kept open: the core holds a hint only while its sender stays connected.
#pragma once

#include "helpers/kwin/focus_sink.h"
#include "ipc/client.h"

#include <chrono>
#include <optional>
#include <string>

namespace gamesched::kwin {

class CoreSink final : public FocusSink {
public:
    explicit CoreSink(std::string socket_path, std::chrono::milliseconds timeout = std::chrono::seconds(2))
        : socket_path_(std::move(socket_path)), timeout_(timeout) {}

    // Never fatal: while the core is away (not installed, restarting) changes are dropped with
    // one warning, and the next change tries again. A refusal by the core is logged.
    Status forward(const FocusReport& report) override;

private:
    // The core's reply, or an Error when the core could not be reached.
    Result<ipc::Reply> send(pid_t pid);

    std::string socket_path_;
    std::chrono::milliseconds timeout_;
    std::optional<ipc::Client> client_;
    bool reported_unreachable_ = false;
};

}  // namespace gamesched::kwin
