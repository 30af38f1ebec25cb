// Who may do what: decided from kernel-provided identity only (SO_PEERCRED, pidfds, /proc read
// through a pidfd), never from message content.
#pragma once

#include "ipc/process.h"
#include "util/result.h"

#include <sys/types.h>

#include <optional>

namespace gamesched::server {

struct PeerIdentity {
    ipc::PeerCredentials credentials;
    bool may_control = false;        // root, or member of the control group
    bool same_pid_namespace = true;  // PIDs it names mean the same processes to us
};

// Identifies a freshly accepted peer. Its groups and namespace are read through a pidfd of the
// peer and confirmed afterwards, so a peer that exited and whose PID was reused is not mistaken
// for the newcomer.
[[nodiscard]] Result<PeerIdentity> identify_peer(int socket_fd, std::optional<gid_t> control_gid);

// Opens the process a hint names and checks that acting_uid may name it: root may name any
// process, everyone else only processes whose real and effective uid are theirs. Whatever the
// reason (another user's process, a thread id, no such pid), a non-root sender gets the same
// not_yours_or_not_found() bytes, so the core never tells what hidepid= hides; the detail goes
// to the core's debug log.
[[nodiscard]] Result<ipc::VerifiedProcess> verify_hint_target(uid_t acting_uid, pid_t pid);

[[nodiscard]] Error not_yours_or_not_found(pid_t pid);

}  // namespace gamesched::server
