// Self-confinement every unprivileged helper applies as it starts, so that it is confined when
// started by hand too, not only under systemd: no_new_privs, a seccomp allow-list, no network.
#pragma once

#include "util/result.h"

#include <string>
#include <vector>

namespace gamesched::sandbox {

struct Policy {
    // Syscalls one helper needs beyond the common base, by name ("inotify_init1", "clone3").
    std::vector<std::string> extra_syscalls;
};

// Irreversible for this process. Afterwards a syscall outside the allow-list fails with EPERM
// (as under systemd's SystemCallErrorNumber=EPERM), socket()/socketpair() for any family but
// AF_UNIX fail with EAFNOSUPPORT (RestrictAddressFamilies=AF_UNIX), and kill()/tgkill() may only
// target the process itself. Exec of set-uid or file-capability binaries gains nothing.
Status confine(const Policy& policy);

// The common base list, for diagnostics and tests.
const std::vector<std::string>& base_syscalls();

}  // namespace gamesched::sandbox
