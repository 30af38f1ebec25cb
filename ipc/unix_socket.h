// SOCK_SEQPACKET unix sockets: one protocol message per record, boundaries kept by the kernel.
// Every fd is CLOEXEC; listening and accepted sockets are non-blocking.
#pragma once

#include "util/result.h"
#include "util/unique_fd.h"

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gamesched::ipc {

// Binds a new listening socket at path, replacing a stale socket file left by a previous run
// (refuses to replace anything that is not a socket). The node is created with mode (and group,
// if given) in place: nothing is changed by path after bind, where a symlink swapped in could
// redirect a chmod/chown.
[[nodiscard]] Result<UniqueFd> listen_seqpacket(const std::string& path, mode_t mode, int backlog = 64,
                                                std::optional<gid_t> group = std::nullopt);

// A connected client socket; blocking unless non_blocking.
[[nodiscard]] Result<UniqueFd> connect_seqpacket(const std::string& path, bool non_blocking = false);

// One pending connection, or an Error with code EAGAIN when there is none.
[[nodiscard]] Result<UniqueFd> accept_seqpacket(int listen_fd);

enum class IoStatus { done, would_block, closed };

struct Received {
    IoStatus status = IoStatus::done;
    std::string bytes;  // the record when status == done
};

// Receives one record of at most max_bytes. A bigger record is an error (EMSGSIZE) after which
// the connection must be dropped: the peer does not speak the protocol's limits.
[[nodiscard]] Result<Received> recv_record(int fd, std::size_t max_bytes);

// Sends one record without blocking and without SIGPIPE. would_block means nothing was sent.
[[nodiscard]] Result<IoStatus> send_record(int fd, std::string_view record);

// Waits for fd to become readable (POLLIN) or writable (POLLOUT); false on timeout.
[[nodiscard]] Result<bool> wait_fd(int fd, short events, std::chrono::milliseconds timeout);

}  // namespace gamesched::ipc
