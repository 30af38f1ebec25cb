#include "ipc/unix_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/fsuid.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cstring>

namespace gamesched::ipc {
namespace {

Result<sockaddr_un> unix_address(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof(address.sun_path)) {
        return Error::invalid("socket path \"" + path + "\" must be 1.." +
                              std::to_string(sizeof(address.sun_path) - 1) + " bytes long");
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    return address;
}

Status remove_stale_socket(const std::string& path) {
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return Ok{};
        return Error::from_errno("lstat " + path);
    }
    if (!S_ISSOCK(st.st_mode)) {
        return Error{EEXIST, path +
                                 " exists and is not a socket; remove it or pick another "
                                 "runtime directory"};
    }
    if (unlink(path.c_str()) != 0) return Error::from_errno("unlink stale " + path);
    return Ok{};
}

// lstat of a just-bound socket node: never follows a symlink.
bool lstat_socket(const std::string& path, struct stat& st) {
    return lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

}  // namespace

Result<UniqueFd> listen_seqpacket(const std::string& path, mode_t mode, int backlog,
                                  std::optional<gid_t> group) {
    auto address = unix_address(path);
    if (!address) return address.error();
    if (auto removed = remove_stale_socket(path); !removed) return removed.error();
    UniqueFd fd(socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd) return Error::from_errno("socket(AF_UNIX, SOCK_SEQPACKET)");
    // bind() creates the node with the socket inode's mode less the umask, owned by our fsuid and
    // fsgid: so set the mode on the fd and the group as fsgid, and the node is born right.
    if (fchmod(fd.get(), mode & 0777) != 0) return Error::from_errno("fchmod socket for " + path);
    const mode_t old_umask = umask(~mode & 0777);
    const int old_fsgid = group ? setfsgid(*group) : -1;
    const int bound = bind(fd.get(), reinterpret_cast<const sockaddr*>(&*address), sizeof *address);
    const int bind_errno = errno;
    if (group) setfsgid(static_cast<gid_t>(old_fsgid));
    umask(old_umask);
    if (bound != 0) return Error::from_errno("bind " + path, bind_errno);
    if (group) {  // setfsgid() cannot report failure; check the node itself
        struct stat st {};
        if (lstat_socket(path, st) && st.st_gid != *group) {
            return Error{EPERM, "cannot create " + path + " with group " + std::to_string(*group) +
                                    " (needs CAP_SETGID or membership)"};
        }
    }
    if (listen(fd.get(), backlog) != 0) return Error::from_errno("listen " + path);
    return fd;
}

Result<UniqueFd> connect_seqpacket(const std::string& path, bool non_blocking) {
    auto address = unix_address(path);
    if (!address) return address.error();
    UniqueFd fd(socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | (non_blocking ? SOCK_NONBLOCK : 0), 0));
    if (!fd) return Error::from_errno("socket(AF_UNIX, SOCK_SEQPACKET)");
    if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&*address), sizeof *address) != 0) {
        return Error::from_errno("connect " + path);
    }
    return fd;
}

Result<UniqueFd> accept_seqpacket(int listen_fd) {
    UniqueFd fd(accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!fd) return Error::from_errno("accept4");
    return fd;
}

Result<Received> recv_record(int fd, std::size_t max_bytes) {
    Received received;
    received.bytes.resize(max_bytes + 1);
    iovec iov{received.bytes.data(), received.bytes.size()};
    msghdr message{};
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    // MSG_TRUNC makes the kernel report the record's real length even when it did not fit.
    ssize_t length = recvmsg(fd, &message, MSG_DONTWAIT | MSG_TRUNC | MSG_CMSG_CLOEXEC);
    if (length < 0 && errno == ECONNRESET) {
        // A peer that closed with our records unread leaves ECONNRESET, reported once, ahead of
        // what it sent before closing (typically the reason it closed): read that too.
        length = recvmsg(fd, &message, MSG_DONTWAIT | MSG_TRUNC | MSG_CMSG_CLOEXEC);
        if (length < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) length = 0;
    }
    if (length < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return Received{IoStatus::would_block, {}};
        if (errno == ECONNRESET) return Received{IoStatus::closed, {}};
        return Error::from_errno("recvmsg");
    }
    if (length == 0) return Received{IoStatus::closed, {}};
    if (static_cast<std::size_t>(length) > max_bytes || (message.msg_flags & MSG_TRUNC) != 0) {
        return Error{EMSGSIZE, "message of " + std::to_string(length) + " bytes exceeds the " +
                                   std::to_string(max_bytes) + "-byte limit"};
    }
    received.bytes.resize(static_cast<std::size_t>(length));
    return received;
}

Result<IoStatus> send_record(int fd, std::string_view record) {
    const ssize_t sent = send(fd, record.data(), record.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return IoStatus::would_block;
        if (errno == EPIPE || errno == ECONNRESET) return IoStatus::closed;
        return Error::from_errno("send");
    }
    return IoStatus::done;  // SOCK_SEQPACKET sends a record whole or not at all
}

Result<bool> wait_fd(int fd, short events, std::chrono::milliseconds timeout) {
    pollfd entry{fd, events, 0};
    for (;;) {
        const int ready = poll(&entry, 1, static_cast<int>(timeout.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) return Error::from_errno("poll");
        return ready > 0;
    }
}

}  // namespace gamesched::ipc
