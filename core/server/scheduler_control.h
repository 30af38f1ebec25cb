// What the socket server may ask of the scheduler. The server knows nothing about BPF: the core
// implements this interface over its maps; tests implement it in memory.
#pragma once

#include "ipc/messages.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <optional>
#include <string>

namespace gamesched::server {

struct GameInfo {
    std::string name;  // the hint's name, or the process name for register_game
    std::optional<std::string> app_id;
    std::string source;  // rule source, "gamemode" for register_game
    int confidence = 0;  // 0..100
};

class SchedulerControl {
public:
    virtual ~SchedulerControl() = default;

    // Called for a verified, live TGID owned by owner; again with new info for a known one.
    virtual Status add_game(pid_t tgid, uid_t owner, const GameInfo& info) = 0;
    virtual Status remove_game(pid_t tgid) = 0;
    virtual Status set_focus(pid_t tgid) = 0;  // 0 = nothing focused
    // A verified, live TGID owned by owner: its compositor or audio server.
    virtual Status add_desktop_process(pid_t tgid, uid_t owner, ipc::DesktopRole role) = 0;
    virtual Status remove_desktop_process(pid_t tgid) = 0;
    // Only the fields present change; values are in microseconds and already range-checked
    // one by one. Cross-field rules against current values are the implementation's to check.
    virtual Status set_tunables(const ipc::Tunables& tunables) = 0;
    virtual Status set_mode(ipc::Mode mode) = 0;
    // The scheduler's part of get_status on control.sock.
    virtual nlohmann::json status() = 0;
    // Detach and stay off until an administrator starts gamesched again (the core then exits
    // with kExitStoppedByUser after this request's reply is sent; the unit stops its sockets).
    // requested_by names the requester for the journal, e.g. "uid 0 pid 1234".
    virtual Status stop_and_stay_off(const std::string& requested_by) = 0;
};

}  // namespace gamesched::server
