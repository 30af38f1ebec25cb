#include "core/server/authz.h"

#include "util/log.h"

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

Error not_yours_or_not_found(pid_t pid) {
    return Error{ESRCH, "pid " + std::to_string(pid) +
                            " is not one of your processes, or does not exist; hints may only name your own "
                            "running processes, by process id (TGID)"};
}

Result<ipc::VerifiedProcess> verify_hint_target(uid_t acting_uid, pid_t pid) {
    auto process = ipc::open_verified_process(pid);
    if (acting_uid == 0) return process;  // root may know why
    if (!process) {
        // Only a failure of the core itself is worth telling; whether the pid exists is not.
        const int code = process.error().code;
        if (code == EMFILE || code == ENFILE || code == ENOMEM) return process.error();
        spdlog::debug("hint from uid {} names pid {}: {}", acting_uid, pid, process.error().message);
        return not_yours_or_not_found(pid);
    }
    const auto& status = process->status;
    if (status.real_uid != acting_uid || status.effective_uid != acting_uid) {
        spdlog::debug("hint from uid {} names pid {} of uids {}/{} (real/effective)", acting_uid, pid,
                      status.real_uid, status.effective_uid);
        return not_yours_or_not_found(pid);
    }
    return process;
}

}  // namespace gamesched::server
