// One accepted client: its identity, its subscriptions and a bounded outbox. Sends never block;
// what the kernel will not take yet waits in the outbox, and a client that lets the outbox fill
// is marked for dropping instead of being buffered for without limit.
#pragma once

#include "core/server/authz.h"
#include "core/server/lease_table.h"
#include "ipc/protocol.h"
#include "util/unique_fd.h"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace gamesched::server {

struct OutboxLimits {
    std::size_t max_records;
    std::size_t max_bytes;
};

class Connection {
public:
    Connection(std::uint64_t id, UniqueFd fd, ipc::Channel channel, PeerIdentity peer, int epoll_fd);

    [[nodiscard]] std::uint64_t id() const { return id_; }
    [[nodiscard]] int fd() const { return fd_.get(); }
    [[nodiscard]] ipc::Channel channel() const { return channel_; }
    [[nodiscard]] const PeerIdentity& peer() const { return peer_; }
    [[nodiscard]] uid_t uid() const { return peer_.credentials.uid; }

    // Queues one record for the client; flushes as much as the socket takes now.
    void send(std::string record, const OutboxLimits& limits);
    // Called on EPOLLOUT.
    void flush();

    // Stops reading until the given time (the uid's hint budget is spent).
    void pause_reading(Clock::time_point until);
    void resume_reading();
    [[nodiscard]] std::optional<Clock::time_point> paused_until() const { return paused_until_; }

    // Set when the connection must be closed at the end of this round, with the reason to log.
    void drop(std::string reason);
    [[nodiscard]] bool dropped() const { return drop_reason_.has_value(); }
    [[nodiscard]] const std::string& drop_reason() const { return *drop_reason_; }

    struct Subscriptions {
        bool process_events = false;
        bool stats = false;
        Clock::duration stats_interval{};
        Clock::time_point next_stats{};
        std::uint64_t last_stats_seq = 0;
    };
    Subscriptions subscriptions;

private:
    void update_interest();

    std::uint64_t id_;
    UniqueFd fd_;
    ipc::Channel channel_;
    PeerIdentity peer_;
    int epoll_fd_;
    std::deque<std::string> outbox_;
    std::size_t outbox_bytes_ = 0;
    std::optional<Clock::time_point> paused_until_;
    unsigned interest_;  // the epoll events currently registered
    std::optional<std::string> drop_reason_;
};

}  // namespace gamesched::server
