// gamesched-mlcollect's own socket, for gameschedctl's profile and ml export commands
// (SOCK_SEQPACKET; shipped as gamesched-mlcollect.socket, 0660 root:gamesched like control.sock).
// One request per connection: the client sends one JSON record (requests.h); the answer is
// records {"data": TEXT} (the body in pieces) and a last {"ok": true} or
// {"ok": false, "error": …, "errno": N} (N: ENOENT for an unknown game, EINVAL for a bad request).
// The client is ipc/mlcollect_client.h. Served between statistics samples; a client that stalls
// (sends nothing, reads nothing) for kClientStallLimit is dropped, so that it cannot hold up the
// collection for long.
#pragma once

#include <chrono>
#include <string>

#include "helpers/mlcollect/requests.h"
#include "util/unique_fd.h"

namespace gamesched::ml {

inline constexpr std::chrono::milliseconds kClientStallLimit{5000};
inline constexpr std::size_t kMaxRequestBytes = 4096;
inline constexpr std::size_t kReplyChunkBytes = 32 * 1024;

class RequestSocket {
public:
    // The socket systemd passed, else a new one bound at path (0660).
    static Result<RequestSocket> open(const std::string& path);

    [[nodiscard]] int fd() const { return listen_.get(); }
    // Answers the connections waiting now, one after the other.
    void serve_pending(RequestContext& context);

private:
    explicit RequestSocket(UniqueFd listen) : listen_(std::move(listen)) {}
    UniqueFd listen_;
};

}  // namespace gamesched::ml
