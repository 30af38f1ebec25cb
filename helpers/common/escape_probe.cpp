#include "helpers/common/escape_probe.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

namespace gamesched::sandbox {
namespace {

// The errno name, or "allowed" when the call succeeded.
const char* outcome(int rc, int err) {
    if (rc >= 0) return "allowed";
    switch (err) {
        case EPERM:
            return "EPERM";
        case EACCES:
            return "EACCES";
        case ENOENT:
            return "ENOENT";
        case EROFS:
            return "EROFS";
        default:
            return strerrorname_np(err) != nullptr ? strerrorname_np(err) : "error";
    }
}

bool report(const std::string& attempt, int rc, int err) {
    std::printf("{\"attempt\":\"%s\",\"result\":\"%s\"}\n", attempt.c_str(), outcome(rc, err));
    return rc < 0;
}

}  // namespace

int probe_escapes(pid_t other_pid, const std::string& home) {
    bool refused = true;
    const std::string config = home + "/.config";
    const std::string autostart = config + "/autostart";
    errno = 0;
    int rc = mkdir(autostart.c_str(), 0700);
    // EEXIST would mean mkdir was allowed to look: refused only if the kernel said EPERM/EACCES.
    refused &= report("mkdir " + autostart, rc, errno) && errno != EEXIST;
    const std::string desktop = autostart + "/x.desktop";
    errno = 0;
    rc = open(desktop.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int open_errno = errno;
    if (rc >= 0) close(rc);
    refused &= report("write " + desktop, rc, open_errno);

    const std::string target = "pid " + std::to_string(other_pid);
    rlimit lower{16, 16};
    errno = 0;
    rc = prlimit(other_pid, RLIMIT_NOFILE, &lower, nullptr);
    refused &= report("prlimit64 RLIMIT_NOFILE=16 on " + target, rc, errno);
    errno = 0;
    rc = kill(other_pid, 0);
    refused &= report("kill(0) " + target, rc, errno);
    std::fflush(stdout);
    return refused ? 0 : 3;
}

}  // namespace gamesched::sandbox
