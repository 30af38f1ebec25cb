#include "helpers/common/sandbox.h"

#include <fcntl.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace gamesched::sandbox {
namespace {

struct FilterDeleter {
    void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Filter = std::unique_ptr<void, FilterDeleter>;

// What a single-threaded helper built on glibc, libstdc++, sd-bus and spdlog calls while it runs:
// memory, files in its own directories, AF_UNIX sockets, polling, timers, signals to itself.
// Deliberately absent: process creation and exec, ptrace, mount and namespace calls, module and
// key management, raw I/O, changing credentials.
const std::vector<std::string> kBase = {
    // memory
    "brk",
    "mmap",
    "munmap",
    "mremap",
    "mprotect",
    "madvise",
    // files and descriptors
    "read",
    "write",
    "readv",
    "writev",
    "pread64",
    "pwrite64",
    "close",
    "close_range",
    "lseek",
    "fstat",
    "newfstatat",
    "statx",
    "fstatfs",
    "readlink",
    "readlinkat",
    "access",
    "faccessat",
    "faccessat2",
    "getdents64",
    "getcwd",
    "fcntl",
    "dup",
    "dup2",
    "dup3",
    "pipe2",
    "fsync",
    "fdatasync",
    "umask",
    "memfd_create",
    // openat is added with a flags condition
    // sockets (socket/socketpair are added with a family condition)
    "connect",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "shutdown",
    "getsockopt",
    "setsockopt",
    "getsockname",
    "getpeername",
    // waiting, time, timers, signals
    "poll",
    "ppoll",
    "epoll_create1",
    "epoll_ctl",
    "epoll_wait",
    "epoll_pwait",
    "epoll_pwait2",
    "eventfd2",
    "timerfd_create",
    "timerfd_settime",
    "timerfd_gettime",
    "signalfd4",
    "clock_gettime",
    "clock_getres",
    "clock_nanosleep",
    "nanosleep",
    "gettimeofday",
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "sigaltstack",
    "restart_syscall",
    // threads' bookkeeping the runtime does even in a single-threaded process
    "futex",
    "set_robust_list",
    "get_robust_list",
    "rseq",
    "set_tid_address",
    "sched_yield",
    "sched_getaffinity",
    // identity and limits (read-only)
    "getpid",
    "gettid",
    "getppid",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "getresuid",
    "getresgid",
    "getgroups",
    "uname",
    "sysinfo",
    "getrlimit",
    "getrandom",
    "exit",
    "exit_group",
};

// Changing the filesystem: absent from a read-only helper's list.
const std::vector<std::string> kWrite = {
    "ftruncate", "fchmod", "mkdir", "mkdirat", "unlink", "unlinkat", "rename", "renameat", "renameat2",
};

// Open flags that write, create or truncate: a read-only helper's openat must carry none.
constexpr scmp_datum_t kWritingOpenFlags = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;

// Only terminal queries and non-blocking/close-on-exec toggles: no TIOCSTI-style injection.
constexpr unsigned long kAllowedIoctls[] = {TCGETS, TIOCGWINSZ, FIONREAD, FIONBIO, FIOCLEX, FIONCLEX};

Status fail(const std::string& what, int rc) {
    return Error::from_errno(what, -rc);
}

Status allow_by_name(void* ctx, const std::string& name) {
    const int nr = seccomp_syscall_resolve_name(name.c_str());
    if (nr == __NR_SCMP_ERROR) {
        return Error::invalid("sandbox: unknown syscall name '" + name + "' in the allow-list");
    }
    if (const int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0); rc < 0) {
        return fail("sandbox: allowing " + name, rc);
    }
    return Ok{};
}

Status restrict_to_unix_family(void* ctx, int nr, const char* name) {
    int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
    if (rc == 0) {
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), nr, 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX));
    }
    if (rc < 0) return fail(std::string("sandbox: restricting ") + name, rc);
    return Ok{};
}

// Limits that would otherwise let the helper lower another process's limits (prlimit64 on a pid
// of the same uid): only pid 0 (itself) or its own pid.
Status restrict_prlimit_to_self(void* ctx) {
    const auto self = static_cast<scmp_datum_t>(getpid());
    int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1, SCMP_A0(SCMP_CMP_EQ, 0));
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1, SCMP_A0(SCMP_CMP_EQ, self));
    if (rc < 0) return fail("sandbox: restricting prlimit64 to self", rc);
    return Ok{};
}

Status allow_open(void* ctx, bool read_only) {
    const int rc = read_only ? seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
                                                SCMP_A2(SCMP_CMP_MASKED_EQ, kWritingOpenFlags, 0))
                             : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 0);
    if (rc < 0) return fail("sandbox: allowing openat", rc);
    return Ok{};
}

Status add_conditional_rules(void* ctx, bool read_only) {
    if (auto s = allow_open(ctx, read_only); !s) return s;
    if (auto s = restrict_prlimit_to_self(ctx); !s) return s;
    if (auto s = restrict_to_unix_family(ctx, SCMP_SYS(socket), "socket"); !s) return s;
    if (auto s = restrict_to_unix_family(ctx, SCMP_SYS(socketpair), "socketpair"); !s) return s;

    // abort() raises SIGABRT through tgkill(self); nothing else may be signalled.
    const auto self = static_cast<scmp_datum_t>(getpid());
    int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, SCMP_A0(SCMP_CMP_EQ, self));
    if (rc == 0) {
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1, SCMP_A0(SCMP_CMP_EQ, self));
    }
    if (rc < 0) return fail("sandbox: restricting signals to self", rc);

    for (const unsigned long request : kAllowedIoctls) {
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
                              SCMP_A1(SCMP_CMP_EQ, static_cast<scmp_datum_t>(request)));
        if (rc < 0) return fail("sandbox: allowing ioctl", rc);
    }
    return Ok{};
}

}  // namespace

const std::vector<std::string>& base_syscalls() {
    return kBase;
}

Status confine(const Policy& policy) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        return Error::from_errno("sandbox: prctl(PR_SET_NO_NEW_PRIVS)");
    }
    Filter filter(seccomp_init(SCMP_ACT_ERRNO(EPERM)));
    if (!filter) return Error::invalid("sandbox: seccomp_init failed (out of memory?)");

    for (const auto& name : kBase) {
        if (auto s = allow_by_name(filter.get(), name); !s) return s;
    }
    std::vector<std::string> extra = policy.extra_syscalls;
    if (!policy.read_only) extra.insert(extra.end(), kWrite.begin(), kWrite.end());
    for (const auto& name : extra) {
        if (std::find(kBase.begin(), kBase.end(), name) != kBase.end()) continue;
        if (policy.read_only && std::find(kWrite.begin(), kWrite.end(), name) != kWrite.end()) {
            return Error::invalid("sandbox: a read-only policy cannot allow " + name);
        }
        if (auto s = allow_by_name(filter.get(), name); !s) return s;
    }
    if (auto s = add_conditional_rules(filter.get(), policy.read_only); !s) return s;

    // Landlock first: its own syscalls are not on the seccomp list.
    if (policy.filesystem) {
        if (auto s = restrict_filesystem(*policy.filesystem); !s) return s;
    }
    if (const int rc = seccomp_load(filter.get()); rc < 0) return fail("sandbox: seccomp_load", rc);
    return Ok{};
}

}  // namespace gamesched::sandbox
