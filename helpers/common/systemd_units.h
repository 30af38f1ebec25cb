// Starting gamesched.service through systemd (org.freedesktop.systemd1 on the system bus): the
// way back after `stop`, since a stopped core has no socket to ask. Used by gamesched-bus
// (Start(), authorised by polkit for the caller; the bridge's own user may manage exactly that
// unit) and by gameschedctl start as root.
#pragma once

#include "util/result.h"

#include <sdbus-c++/IConnection.h>

#include <string>

namespace gamesched {

// Queues a start job for unit ("replace" mode) and returns its job path; systemd runs it.
[[nodiscard]] Result<std::string> start_unit(sdbus::IConnection& system_bus, const std::string& unit);

}  // namespace gamesched
