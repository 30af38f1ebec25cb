#include "ipc/process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <charconv>
#include <string>

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

namespace gamesched::ipc {
namespace {

// /proc/<pid>/status is a few KiB; anything longer is not a status file.
constexpr std::size_t kMaxStatusBytes = 64 * 1024;

Result<std::string> read_small_file(const std::string& path) {
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return Error::from_errno("open " + path);
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error::from_errno("read " + path);
        if (n == 0) return text;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > kMaxStatusBytes) return Error::invalid(path + " is unexpectedly large");
    }
}

// Parses whitespace-separated unsigned numbers; false on anything else.
template <typename T>
bool parse_numbers(std::string_view text, std::vector<T>& out) {
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t')) ++p;
        if (p == end) return true;
        T value{};
        const auto [next, ec] = std::from_chars(p, end, value);
        if (ec != std::errc{}) return false;
        out.push_back(value);
        p = next;
    }
}

}  // namespace

Result<PeerCredentials> peer_credentials(int socket_fd) {
    ucred cred{};
    socklen_t length = sizeof cred;
    if (getsockopt(socket_fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) {
        return Error::from_errno("getsockopt(SO_PEERCRED)");
    }
    return PeerCredentials{cred.pid, cred.uid, cred.gid};
}

Result<UniqueFd> peer_pidfd(int socket_fd, pid_t peer_pid) {
    int pidfd = -1;
    socklen_t length = sizeof pidfd;
    if (getsockopt(socket_fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &length) == 0 && pidfd >= 0) {
        return UniqueFd(pidfd);
    }
    if (errno != ENOPROTOOPT && errno != EINVAL) return Error::from_errno("SO_PEERPIDFD");
    return open_pidfd(peer_pid);
}

Result<UniqueFd> open_pidfd(pid_t pid) {
    const long fd = syscall(SYS_pidfd_open, pid, 0);
    if (fd >= 0) return UniqueFd(static_cast<int>(fd));
    const std::string name = "pid " + std::to_string(pid);
    if (errno == ESRCH) return Error{ESRCH, "no process with " + name};
    // Kernels answer EINVAL (before 6.9) or ENOENT for a PID that has no thread group.
    if (errno == EINVAL || errno == ENOENT) {
        return Error{errno, name +
                                " is not a process (a thread id, or a process that just "
                                "exited); send the process id (TGID) of a running process"};
    }
    return Error::from_errno("pidfd_open(" + name + ")");
}

Result<bool> pidfd_alive(int pidfd) {
    pollfd entry{pidfd, POLLIN, 0};
    for (;;) {
        const int ready = poll(&entry, 1, 0);
        if (ready >= 0) break;
        if (errno != EINTR) return Error::from_errno("poll(pidfd)");
    }
    if ((entry.revents & POLLNVAL) != 0) return Error{EBADF, "poll(pidfd): not an open pidfd"};
    return (entry.revents & (POLLIN | POLLHUP)) == 0;
}

Result<ProcessStatus> parse_process_status(std::string_view text) {
    ProcessStatus status;
    bool have_tgid = false, have_uid = false, have_gid = false;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string_view key = line.substr(0, colon);
        const std::string_view value = line.substr(colon + 1);
        if (key == "Name") {
            status.name = value.substr(value.find_first_not_of(" \t") == std::string_view::npos
                                           ? value.size()
                                           : value.find_first_not_of(" \t"));
        } else if (key == "Tgid") {
            std::vector<pid_t> v;
            if (!parse_numbers(value, v) || v.size() != 1) break;
            status.tgid = v[0];
            have_tgid = true;
        } else if (key == "Uid" || key == "Gid") {
            std::vector<unsigned> v;  // real, effective, saved, filesystem
            if (!parse_numbers(value, v) || v.size() != 4) break;
            (key == "Uid" ? status.real_uid : status.real_gid) = v[0];
            (key == "Uid" ? status.effective_uid : status.effective_gid) = v[1];
            (key == "Uid" ? have_uid : have_gid) = true;
        } else if (key == "Groups") {
            if (!parse_numbers(value, status.groups)) break;
        } else if (key == "NSpid") {
            if (!parse_numbers(value, status.namespace_pids) || status.namespace_pids.empty()) {
                return Error::invalid("process status has a malformed NSpid line");
            }
        }
    }
    if (!have_tgid || !have_uid || !have_gid) {
        return Error::invalid("process status lacks well-formed Tgid/Uid/Gid lines");
    }
    return status;
}

Result<ProcessStatus> read_status_via_pidfd(int pidfd, pid_t pid) {
    const std::string path = "/proc/" + std::to_string(pid) + "/status";
    auto text = read_small_file(path);
    if (!text) {
        if (text.error().code == ENOENT || text.error().code == ESRCH) {
            return Error{ESRCH, "process " + std::to_string(pid) + " has exited"};
        }
        return text.error();
    }
    auto status = parse_process_status(*text);
    if (!status) return status.error().context(path);
    // Only now is it known that the data read belongs to the process behind the pidfd.
    auto alive = pidfd_alive(pidfd);
    if (!alive) return alive.error();
    if (!*alive) return Error{ESRCH, "process " + std::to_string(pid) + " has exited"};
    return status;
}

Result<VerifiedProcess> open_verified_process(pid_t pid) {
    auto pidfd = open_pidfd(pid);
    if (!pidfd) return pidfd.error();
    auto status = read_status_via_pidfd(pidfd->get(), pid);
    if (!status) return status.error();
    return VerifiedProcess{std::move(*pidfd), std::move(*status)};
}

Result<bool> same_pid_namespace(const ProcessStatus& status) {
    auto text = read_small_file("/proc/self/status");
    if (!text) return text.error();
    auto self = parse_process_status(*text);
    if (!self) return self.error().context("/proc/self/status");
    return status.namespace_pids.size() == self->namespace_pids.size();
}

}  // namespace gamesched::ipc
