#include "core/server/connection.h"

#include "core/server/event_key.h"
#include "ipc/unix_socket.h"

#include <sys/epoll.h>

#include <cstring>

namespace gamesched::server {

Connection::Connection(std::uint64_t id, UniqueFd fd, ipc::Channel channel, PeerIdentity peer, int epoll_fd)
    : id_(id),
      fd_(std::move(fd)),
      channel_(channel),
      peer_(peer),
      epoll_fd_(epoll_fd),
      interest_(EPOLLIN) {}  // as the server registers it

void Connection::send(std::string record, const OutboxLimits& limits) {
    if (dropped()) return;
    if (outbox_.size() >= limits.max_records || outbox_bytes_ + record.size() > limits.max_bytes) {
        return drop("does not read what the core sends (outbox full)");
    }
    outbox_bytes_ += record.size();
    outbox_.push_back(std::move(record));
    flush();
}

void Connection::flush() {
    while (!outbox_.empty() && !dropped()) {
        auto sent = ipc::send_record(fd_.get(), outbox_.front());
        if (!sent) return drop(sent.error().message);
        if (*sent == ipc::IoStatus::closed) return drop("closed by the client");
        if (*sent == ipc::IoStatus::would_block) break;
        outbox_bytes_ -= outbox_.front().size();
        outbox_.pop_front();
    }
    update_interest();
}

void Connection::pause_reading(Clock::time_point until) {
    paused_until_ = until;
    update_interest();
}

void Connection::resume_reading() {
    paused_until_.reset();
    update_interest();
}

void Connection::drop(std::string reason) {
    if (!drop_reason_) drop_reason_ = std::move(reason);
}

// Level-triggered: read interest unless paused, write interest only while output waits.
void Connection::update_interest() {
    if (dropped()) return;
    const unsigned wanted = (paused_until_ ? 0u : static_cast<unsigned>(EPOLLIN)) |
                            (outbox_.empty() ? 0u : static_cast<unsigned>(EPOLLOUT));
    if (wanted == interest_) return;
    epoll_event event{};
    event.events = wanted;
    event.data.u64 = event_key(EventKind::connection, id_);
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd_.get(), &event) != 0) {
        return drop("epoll_ctl(MOD) failed: " + std::string(std::strerror(errno)));
    }
    interest_ = wanted;
}

}  // namespace gamesched::server
