// Landlock for the helpers: which directories a helper may read and where it may write, enforced by
// the kernel for the rest of the process's life. Written against the kernel UAPI because Debian
// ships no C library for it; the calls are three syscalls and a ruleset struct.
#pragma once

#include "util/result.h"

#include <string>
#include <vector>

namespace gamesched::sandbox {

struct FsAccess {
    std::vector<std::string> read;   // directories or files: read and list only
    std::vector<std::string> write;  // directories: read, create, replace, remove inside
    // Also forbid connecting to abstract unix sockets made outside the helper (X11's, for one).
    // Off when the session bus itself sits on an abstract address.
    bool scope_abstract_sockets = true;
};

// The Landlock ABI version the kernel offers; 0 when it has none (not built in, or not enabled
// in the lsm= list).
int landlock_abi();

// Restricts this process to access (a path that does not exist is skipped). Besides the files,
// a Landlock domain also scopes ptrace-mode checks: afterwards this process can no longer read
// /proc/<pid>/environ or /proc/<pid>/mem of processes outside its domain, even its own user's,
// and (ABI 6+) cannot signal them. Returns Ok without restricting when the kernel has no
// Landlock; the caller says so in its log.
Status restrict_filesystem(const FsAccess& access);

}  // namespace gamesched::sandbox
