// Who is on the other end of a socket, and who owns a process, without trusting PID numbers:
// every answer is anchored on a pidfd so a PID recycled between check and use is noticed.
#pragma once

#include "util/result.h"
#include "util/unique_fd.h"

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace gamesched::ipc {

struct PeerCredentials {
    pid_t pid = 0;
    uid_t uid = 0;
    gid_t gid = 0;
};

// SO_PEERCRED: the peer as of connect().
[[nodiscard]] Result<PeerCredentials> peer_credentials(int socket_fd);

// A pidfd of the peer process: SO_PEERPIDFD where the kernel has it (6.5+), which cannot refer to
// a recycled PID; pidfd_open(SO_PEERCRED pid) otherwise.
[[nodiscard]] Result<UniqueFd> peer_pidfd(int socket_fd, pid_t peer_pid);

// pidfd_open(2). Errors say whether the PID does not exist or names a thread, not a process.
[[nodiscard]] Result<UniqueFd> open_pidfd(pid_t pid);

// True while the process behind pidfd has not exited. Asked by polling the pidfd (it polls
// readable once the process has exited, zombie or reaped), which needs no permission over the
// process: pidfd_send_signal(0) would need CAP_KILL for another uid's process.
[[nodiscard]] Result<bool> pidfd_alive(int pidfd);

// The identity lines of /proc/<pid>/status.
struct ProcessStatus {
    std::string name;  // as /proc shows it: the kernel's task name, up to 15 bytes, escaped
    pid_t tgid = 0;
    uid_t real_uid = 0, effective_uid = 0;
    gid_t real_gid = 0, effective_gid = 0;
    std::vector<gid_t> groups;  // supplementary groups
    // NSpid: the PID in each namespace from /proc's down to the process's own; as many entries
    // as the process is deep below /proc's namespace (empty on kernels without PID namespaces).
    std::vector<pid_t> namespace_pids;
};

[[nodiscard]] Result<ProcessStatus> parse_process_status(std::string_view text);

// A process opened through a pidfd whose /proc data was read after opening and confirmed to
// still belong to it afterwards.
struct VerifiedProcess {
    UniqueFd pidfd;
    ProcessStatus status;
};

// Reads the status of the process behind an already open pidfd and confirms it is still alive,
// so the data belongs to that process and not to a successor with the same PID.
[[nodiscard]] Result<ProcessStatus> read_status_via_pidfd(int pidfd, pid_t pid);

// pidfd_open + read_status_via_pidfd.
[[nodiscard]] Result<VerifiedProcess> open_verified_process(pid_t pid);

// Whether a process visible to us lives in our own PID namespace (not a descendant one); PIDs
// named by a peer in another namespace would mean a different process here. Decided from NSpid
// depths, which needs no capability (stat of /proc/<pid>/ns/pid needs ptrace access). A process
// we can see is in our namespace or below it, so equal depth means the same namespace.
[[nodiscard]] Result<bool> same_pid_namespace(const ProcessStatus& status);

}  // namespace gamesched::ipc
