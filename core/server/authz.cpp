#include "core/server/authz.h"

#include <algorithm>
#include <string>

namespace gamesched::server {

Result<PeerIdentity> identify_peer(int socket_fd, std::optional<gid_t> control_gid) {
    auto credentials = ipc::peer_credentials(socket_fd);
    if (!credentials) return credentials.error();
    PeerIdentity identity{*credentials, false, true};
    if (credentials->pid <= 0) {
        return Error{EPERM, "peer's process is not visible in the core's PID namespace"};
    }
    auto pidfd = ipc::peer_pidfd(socket_fd, credentials->pid);
    if (!pidfd) return pidfd.error().context("peer");
    auto status = ipc::read_status_via_pidfd(pidfd->get(), credentials->pid);
    if (!status) return status.error().context("peer");
    // NSpid came from the same verified status read, so the answer is the peer's own.
    auto same_namespace = ipc::same_pid_namespace(*status);
    if (!same_namespace) return same_namespace.error().context("peer");
    identity.same_pid_namespace = *same_namespace;

    const auto& groups = status->groups;
    identity.may_control =
        credentials->uid == 0 ||
        (control_gid && (credentials->gid == *control_gid ||
                         std::find(groups.begin(), groups.end(), *control_gid) != groups.end()));
    return identity;
}

Result<ipc::VerifiedProcess> verify_hint_target(uid_t acting_uid, pid_t pid) {
    auto process = ipc::open_verified_process(pid);
    if (!process) return process.error();
    if (acting_uid == 0) return process;
    const auto& status = process->status;
    if (status.real_uid != acting_uid || status.effective_uid != acting_uid) {
        const std::string owner = status.real_uid == status.effective_uid
                                      ? "uid " + std::to_string(status.real_uid)
                                      : "uids " + std::to_string(status.real_uid) + "/" +
                                            std::to_string(status.effective_uid) + " (real/effective)";
        return Error{EPERM, "pid " + std::to_string(pid) + " belongs to " + owner + ", not to you (uid " +
                                std::to_string(acting_uid) + "); hints may only name your own processes"};
    }
    return process;
}

}  // namespace gamesched::server
