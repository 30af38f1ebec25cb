#include "helpers/mlcollect/request_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <systemd/sd-daemon.h>

#include <spdlog/spdlog.h>

#include <streambuf>

#include "ipc/unix_socket.h"

namespace gamesched::ml {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

std::chrono::milliseconds left(Clock::time_point deadline) {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

// Sends one record, waiting for room until the deadline; false when the client is gone or slow.
bool send_until(int fd, const std::string& record, Clock::time_point deadline) {
    for (;;) {
        auto sent = ipc::send_record(fd, record);
        if (!sent || *sent == ipc::IoStatus::closed) return false;
        if (*sent == ipc::IoStatus::done) return true;
        auto ready = ipc::wait_fd(fd, POLLOUT, left(deadline));
        if (!ready || !*ready) return false;
    }
}

// The body as {"data": …} records of up to kReplyChunkBytes. After a failed send the rest is
// dropped (the client went away); the handler still runs to its end.
class ChunkedReply : public std::streambuf {
public:
    explicit ChunkedReply(int fd) : fd_(fd) {}
    bool flush() {
        if (!pending_.empty() && ok_)
            ok_ = send_until(fd_, json{{"data", pending_}}.dump(), Clock::now() + kClientStallLimit);
        pending_.clear();
        return ok_;
    }

protected:
    int_type overflow(int_type c) override {
        if (c != traits_type::eof()) pending_.push_back(static_cast<char>(c));
        if (pending_.size() >= kReplyChunkBytes) flush();
        return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        pending_.append(s, static_cast<std::size_t>(n));
        if (pending_.size() >= kReplyChunkBytes) flush();
        return n;
    }

private:
    int fd_;
    std::string pending_;
    bool ok_ = true;
};

void serve(int fd, RequestContext& context) {
    auto ready = ipc::wait_fd(fd, POLLIN, kClientStallLimit);
    if (!ready || !*ready) return;
    auto received = ipc::recv_record(fd, kMaxRequestBytes);
    if (!received || received->status != ipc::IoStatus::done) return;
    const json request = json::parse(received->bytes, nullptr, false);
    ChunkedReply reply(fd);
    std::ostream body(&reply);
    Status done = request.is_discarded() ? Status(Error::invalid("the request is not JSON"))
                                         : handle_request(request, context, body);
    if (!reply.flush()) {
        spdlog::warn("a client of the request socket left or stalled before its answer was sent");
        return;
    }
    const json last =
        done ? json{{"ok", true}}
             : json{{"ok", false}, {"error", done.error().message}, {"errno", done.error().code}};
    (void)send_until(fd, last.dump(), Clock::now() + kClientStallLimit);
    if (!request.is_object()) return;
    // Changes and refusals are worth the journal; a tool polling the list is not.
    const std::string name = request.value("request", "?");
    const bool changes = name == "profile_pin" || name == "profile_unpin" || name == "profile_reset";
    const auto level = (changes || !done) ? spdlog::level::info : spdlog::level::debug;
    spdlog::log(level, "request {}: {}", name, done ? "done" : done.error().message);
}

}  // namespace

Result<RequestSocket> RequestSocket::open(const std::string& path) {
    const int passed = sd_listen_fds(1);
    if (passed < 0) return Error{-passed, "reading systemd's socket activation environment"};
    if (passed == 1 && sd_is_socket_unix(SD_LISTEN_FDS_START, SOCK_SEQPACKET, 1, nullptr, 0) > 0) {
        UniqueFd fd(SD_LISTEN_FDS_START);
        if (auto flags = fcntl(fd.get(), F_GETFL);
            flags < 0 || fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK) < 0)
            return Error::from_errno("making the activated socket non-blocking");
        return RequestSocket(std::move(fd));
    }
    if (passed > 1)
        return Error::invalid("systemd passed " + std::to_string(passed) + " sockets; expected one");
    auto fd = ipc::listen_seqpacket(path, 0660, 8);
    if (!fd) return fd.error();
    return RequestSocket(std::move(*fd));
}

void RequestSocket::serve_pending(RequestContext& context) {
    for (;;) {
        auto client = ipc::accept_seqpacket(listen_.get());
        if (!client) {
            if (client.error().code != EAGAIN && client.error().code != EWOULDBLOCK)
                spdlog::warn("request socket: {}", client.error().message);
            return;
        }
        serve(client->get(), context);
    }
}

}  // namespace gamesched::ml
