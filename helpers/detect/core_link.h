// The detector's connection to gamesched-core, as the service loop sees it: a HintSink for
// game_started/game_exited, and the source of process events. The ipc implementation lives in
// ipc_core_link.*; tests can supply their own.
#pragma once

#include <vector>

#include "helpers/detect/hint_sink.h"
#include "util/result.h"

namespace gamesched::detect {

struct ProcessNotice {
    enum class Kind { exec, exit } kind = Kind::exec;
    pid_t pid = 0;
};

class CoreLink : public HintSink {
public:
    // Connects, subscribes to process events and adopts the leases an earlier connection of
    // ours left behind (renew).
    virtual Status connect() = 0;
    virtual void disconnect() = 0;
    [[nodiscard]] virtual bool connected() const = 0;
    [[nodiscard]] virtual int fd() const = 0;
    // Moves every event received so far into `out`. An Error means the connection is gone.
    virtual Status take_events(std::vector<ProcessNotice>& out) = 0;
    virtual Status renew() = 0;
    // True once after the link replaced a broken connection by itself while sending a hint:
    // process events may have been lost, as after connect().
    virtual bool take_silent_reconnect() { return false; }
};

}  // namespace gamesched::detect
