// The two listening sockets: from systemd socket activation when the core was started that way
// (FileDescriptorName=hints / =control), created under the runtime directory otherwise.
#pragma once

#include "core/server/server_config.h"
#include "util/result.h"
#include "util/unique_fd.h"

#include <sys/types.h>

#include <optional>

namespace gamesched::server {

struct ListenSockets {
    UniqueFd hints;
    UniqueFd control;
    bool from_systemd = false;
};

// The group allowed on control.sock, if it exists on this system.
[[nodiscard]] std::optional<gid_t> lookup_group(const std::string& name);

[[nodiscard]] Result<ListenSockets> open_listen_sockets(const ServerConfig& config,
                                                        std::optional<gid_t> control_gid);

}  // namespace gamesched::server
