// Self-confinement every unprivileged helper applies as it starts, so that it is confined when
// started by hand too, not only under systemd: no_new_privs, a seccomp allow-list, no network,
// and a filesystem policy (Landlock, or a seccomp write ban where Landlock cannot be used).
#pragma once

#include "helpers/common/landlock.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <vector>

namespace gamesched::sandbox {

struct Policy {
    // Syscalls one helper needs beyond the common base, by name ("inotify_init1", "clone3").
    std::vector<std::string> extra_syscalls;
    // Where the helper reads and writes, enforced by Landlock. A Landlock domain also stops the
    // helper from reading other processes' /proc/<pid>/environ (see landlock.h), so a helper that
    // must read those leaves this unset and sets read_only instead.
    std::optional<FsAccess> filesystem;
    // seccomp write ban: open() for writing or creating, mkdir, unlink, rename, chmod and
    // truncate fail with EPERM everywhere.
    bool read_only = false;
};

// Irreversible for this process. Afterwards a syscall outside the allow-list fails with EPERM
// (as under systemd's SystemCallErrorNumber=EPERM), socket()/socketpair() for any family but
// AF_UNIX fail with EAFNOSUPPORT (RestrictAddressFamilies=AF_UNIX), kill()/tgkill() may only
// target the process itself and prlimit64() only the process itself. Exec of set-uid or
// file-capability binaries gains nothing.
Status confine(const Policy& policy);

// The common base list, for diagnostics and tests.
const std::vector<std::string>& base_syscalls();

}  // namespace gamesched::sandbox
