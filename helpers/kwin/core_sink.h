// Focus changes as focus_changed hints on gamesched-core's hint socket, through the typed core
// client, and KWin's process as a desktop_process hint (role compositor). The connection is kept
// open: the core holds a hint only while its sender stays connected; a new connection (the core
// restarted) names the compositor again.
#pragma once

#include "helpers/kwin/focus_sink.h"
#include "ipc/core_client.h"

#include <chrono>
#include <string>

namespace gamesched::kwin {

class CoreSink final : public FocusSink {
public:
    explicit CoreSink(std::string socket_path, std::chrono::milliseconds timeout = std::chrono::seconds(2),
                      ipc::Backoff::Policy reconnect = {});

    // Never fatal: while the core is away (not installed, restarting) changes are dropped with
    // one warning, and the first change after the reconnect backoff tries again. A refusal by
    // the core is logged.
    Status forward(const FocusReport& report) override;
    // Never fatal either: refused or unreachable is logged, and the next connection retries.
    Status compositor(pid_t pid) override;

private:
    // Logs the core's answer; an error only when the core was not reached.
    ipc::CallResult<Ok> name_compositor(ipc::CoreClient& core);

    ipc::CoreClient client_;
    pid_t compositor_ = 0;  // named again on every new connection
    bool reported_unreachable_ = false;
};

}  // namespace gamesched::kwin
