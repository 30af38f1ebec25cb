// Focus changes as focus_changed hints on gamesched-core's hint socket, through the typed core
// client. The connection is kept open: the core holds a hint only while its sender stays
// connected.
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

private:
    ipc::CoreClient client_;
    bool reported_unreachable_ = false;
};

}  // namespace gamesched::kwin
