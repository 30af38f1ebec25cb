// Where gameschedctl's read-and-steer commands (games, stats, monitor, top, stop, start) get the
// scheduler: the core's control.sock for root and members of group gamesched, the D-Bus bridge
// (org.gamesched.Scheduler1, polkit-checked) for everyone else. Both answer with the same
// snapshot: get_status's body plus the latest stats sample under "stats".
#pragma once

#include "ipc/replies.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace gamesched::ctl {

class ControlSource {
public:
    virtual ~ControlSource() = default;
    [[nodiscard]] virtual std::string name() const = 0;  // "control.sock" or "D-Bus"
    virtual Result<nlohmann::json> snapshot() = 0;
    virtual Status set_mode(ipc::Mode mode) = 0;
    virtual Status stop() = 0;
    virtual Status start() = 0;
};

struct SourceOptions {
    std::string socket_dir = "/run/gamesched";
    bool force_bus = false;  // --bus: the D-Bus bridge even where control.sock would do
};

// control.sock when this user may open it, otherwise the D-Bus bridge on the system bus.
Result<std::unique_ptr<ControlSource>> open_control_source(const SourceOptions& options);

}  // namespace gamesched::ctl
