// Runs a check in a forked child, since confinement is irreversible: the child confines itself
// (optionally after dropping to another uid) and exits with 0 when every expectation held, with
// the number of the first failed expectation otherwise (100: confine() failed, 101: the uid drop).
#pragma once

#include "helpers/common/sandbox.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace gamesched::sandbox::testing {

// An unprivileged uid for checks that root's capabilities would bypass.
inline constexpr uid_t kNobody = 65534;

inline int in_confined_child(const Policy& policy, const std::function<int()>& body,
                             uid_t as_uid = getuid()) {
    const pid_t pid = fork();
    if (pid == 0) {
        if (as_uid != getuid() && (setresgid(as_uid, as_uid, as_uid) != 0 || setgroups(0, nullptr) != 0 ||
                                   setresuid(as_uid, as_uid, as_uid) != 0)) {
            _exit(101);
        }
        if (!confine(policy)) _exit(100);
        _exit(body());
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

// 0 when `path` opens with `flags` (created 0600 if O_CREAT), else the errno open() failed with.
inline int open_errno(const std::filesystem::path& path, int flags) {
    errno = 0;
    const int fd = open(path.c_str(), flags | O_CLOEXEC, 0600);
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    return errno;
}

// "Max open files" soft limit of pid as /proc shows it (root may lack CAP_SYS_RESOURCE for
// prlimit64 on another uid's process, but /proc/<pid>/limits is readable).
inline long open_files_limit_of(pid_t pid) {
    std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
    for (std::string line; std::getline(limits, line);) {
        if (line.rfind("Max open files", 0) == 0) return std::stol(line.substr(26));
    }
    return -1;
}

}  // namespace gamesched::sandbox::testing
