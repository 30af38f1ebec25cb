// The transport side of the server: accepting, per-uid limits, reading records, closing, and the
// one timer for lease expiry, throttling and stats pushes.
#include "core/server/event_key.h"
#include "core/server/server.h"
#include "ipc/unix_socket.h"
#include "util/journal.h"
#include "util/log.h"
#include "util/log_rate_limit.h"
#include "util/message_ids.h"

#include <sys/epoll.h>
#include <sys/timerfd.h>

namespace gamesched::server {
namespace {

constexpr std::size_t kAcceptsPerRound = 16;

// What clients can cause in bulk is rate-limited, so that a flood cannot bury the core's own
// messages (util/log_rate_limit.h).
LogRateLimit refused_clients("refused clients", 20, std::chrono::seconds(10));
LogRateLimit ended_leases("ended leases", 30, std::chrono::seconds(10), message_id::kGameLeft);

}  // namespace

Server::PerUid& Server::per_uid(uid_t uid) {
    auto it = uids_.find(uid);
    if (it == uids_.end()) {
        it =
            uids_
                .emplace(uid, PerUid{TokenBucket(config_.hints_per_second, config_.hint_burst, Clock::now())})
                .first;
    }
    return it->second;
}

void Server::send(Connection& connection, const ipc::Reply& reply) {
    std::string record = ipc::encode_reply(reply);
    if (record.size() > ipc::max_record_size(connection.channel())) {
        // The client could not receive it (its buffer is the channel's limit): say so instead.
        spdlog::error("BUG: a {}-byte reply exceeds the record limit of {}", record.size(),
                      ipc::channel_name(connection.channel()));
        record = ipc::encode_reply(
            ipc::error_reply(reply.id, "the reply did not fit in one record of " +
                                           std::string(ipc::channel_name(connection.channel())) +
                                           "; ask on control.sock (gameschedctl as root)"));
    }
    connection.send(std::move(record), {config_.max_outbox_records, config_.max_outbox_bytes});
}

// Best effort: the refused client learns why, then the connection is gone.
void Server::refuse(UniqueFd fd, const std::string& reason) {
    (void)ipc::send_record(fd.get(), ipc::encode_reply(ipc::error_reply(std::nullopt, reason)));
}

// Each channel has its own budget: a full hints.sock never costs control.sock a slot.
std::optional<std::string> Server::over_budget(ipc::Channel channel, uid_t uid) {
    const PerUid& limits = per_uid(uid);
    const bool hints = channel == ipc::Channel::hints;
    const std::size_t total = hints ? hint_connections_ : control_connections_;
    const std::size_t total_cap = hints ? config_.max_hint_connections : config_.max_control_connections;
    const std::size_t mine = hints ? limits.hint_connections : limits.control_connections;
    const std::size_t my_cap =
        hints ? config_.max_connections_per_uid : config_.max_control_connections_per_uid;
    const std::string name(ipc::channel_name(channel));
    if (mine >= my_cap) {
        return "too many connections to " + name + " (at most " + std::to_string(my_cap) +
               " per uid); close idle ones and retry";
    }
    if (total >= total_cap) {
        return name + " is serving its maximum of " + std::to_string(total_cap) +
               " connections (all users); retry in a moment";
    }
    return std::nullopt;
}

// Out of descriptors (or kernel memory): accept() would keep failing while the listener stays
// readable, so stop polling the listeners instead of spinning. Pending clients wait in the
// backlog until a connection or lease closes (resume_accepting) or the retry time passes.
void Server::pause_accepting(int error) {
    const auto now = Clock::now();
    if (!accept_paused_until_) poll_listeners(false);
    accept_paused_until_ = now + config_.accept_retry;
    if (now - last_fd_warning_ >= std::chrono::seconds(10)) {  // at most one line per 10 s
        last_fd_warning_ = now;
        spdlog::warn("accept: {}; not accepting clients until a connection closes ({} open)",
                     std::strerror(error), connections_.size());
    }
}

void Server::resume_accepting() {
    if (!accept_paused_until_) return;
    accept_paused_until_.reset();
    poll_listeners(true);
}

void Server::poll_listeners(bool on) {
    const std::pair<int, EventKind> listeners[] = {{sockets_.hints.get(), EventKind::hints_listener},
                                                   {sockets_.control.get(), EventKind::control_listener}};
    for (const auto& [fd, kind] : listeners) {
        epoll_event event{};
        event.events = on ? static_cast<std::uint32_t>(EPOLLIN) : 0U;
        event.data.u64 = event_key(kind, 0);
        if (epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &event) != 0) {
            spdlog::error("epoll_ctl(MOD listener): {}", std::strerror(errno));
        }
    }
}

void Server::accept_clients(ipc::Channel channel) {
    const int listener = channel == ipc::Channel::hints ? sockets_.hints.get() : sockets_.control.get();
    for (std::size_t round = 0; round < kAcceptsPerRound && !accept_paused_until_; ++round) {
        auto fd = ipc::accept_seqpacket(listener);
        if (!fd) {
            const int code = fd.error().code;
            if (code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM) {
                pause_accepting(code);
            } else if (code != EAGAIN && code != EWOULDBLOCK && code != ECONNABORTED && code != EINTR) {
                spdlog::warn("accept on {}: {}", ipc::channel_name(channel), fd.error().message);
            }
            return;
        }
        auto peer = identify_peer(fd->get(), control_gid_);
        if (!peer && (peer.error().code == EMFILE || peer.error().code == ENFILE)) {
            refuse(std::move(*fd), "the core is out of file descriptors; retry in a moment");
            pause_accepting(peer.error().code);
            return;
        }
        if (!peer) {
            if (refused_clients.allow()) {
                spdlog::info("refused a client of {}: {}", ipc::channel_name(channel), peer.error().message);
            }
            refuse(std::move(*fd), "the core could not identify you: " + peer.error().message);
            continue;
        }
        const uid_t uid = peer->credentials.uid;
        if (channel == ipc::Channel::control && !peer->may_control) {
            if (refused_clients.allow()) {
                spdlog::info("refused uid {} pid {} on control.sock: not root or in group {}", uid,
                             peer->credentials.pid, config_.control_group);
            }
            refuse(std::move(*fd), "control.sock is for root and members of group " + config_.control_group +
                                       "; uid " + std::to_string(uid) +
                                       " is neither (use hints.sock, or gameschedctl over D-Bus)");
            continue;
        }
        if (auto refusal = over_budget(channel, uid)) {
            refuse(std::move(*fd), *refusal);
            continue;
        }
        const std::uint64_t id = next_connection_id_++;
        if (auto watched = watch(fd->get(), event_key(EventKind::connection, id)); !watched) {
            spdlog::error("cannot watch a new connection: {}", watched.error().message);
            continue;
        }
        PerUid& limits = per_uid(uid);
        ++(channel == ipc::Channel::hints ? limits.hint_connections : limits.control_connections);
        ++(channel == ipc::Channel::hints ? hint_connections_ : control_connections_);
        connections_.try_emplace(id, id, std::move(*fd), channel, *peer, epoll_.get());
        spdlog::debug("connection {} on {}: uid {} pid {}", id, ipc::channel_name(channel), uid,
                      peer->credentials.pid);
    }
}

void Server::read_records(Connection& connection) {
    const std::size_t limit = ipc::max_record_size(connection.channel());
    for (std::size_t round = 0; round < config_.max_records_per_round; ++round) {
        if (connection.dropped() || connection.paused_until()) return;
        auto received = ipc::recv_record(connection.fd(), limit);
        if (!received) {
            // Oversized records (and socket errors) end the connection: a peer that ignores the
            // limits is not worth reading further. It still learns why.
            std::string reason = received.error().message;
            if (received.error().code == EMSGSIZE) {
                reason += " of " + std::string(ipc::channel_name(connection.channel()));
            }
            send(connection, ipc::error_reply(std::nullopt, reason + "; connection closed"));
            return connection.drop(received.error().message);
        }
        if (received->status == ipc::IoStatus::would_block) return;
        if (received->status == ipc::IoStatus::closed) return connection.drop("closed by the client");
        handle_record(connection, received->bytes);
    }
}

void Server::close_dropped() {
    std::vector<std::uint64_t> dropped;
    for (const auto& [id, connection] : connections_) {
        if (connection.dropped()) dropped.push_back(id);
    }
    for (auto id : dropped) close_connection(id);
}

void Server::close_connection(std::uint64_t id) {
    const auto it = connections_.find(id);
    if (it == connections_.end()) return;
    const Connection& connection = it->second;
    spdlog::debug("connection {} (uid {}) closed: {}", id, connection.uid(),
                  printable(connection.drop_reason()));
    epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, connection.fd(), nullptr);
    leases_.orphan(id, Clock::now() + config_.lease_grace);
    const uid_t uid = connection.uid();
    const bool hints = connection.channel() == ipc::Channel::hints;
    connections_.erase(it);
    --(hints ? hint_connections_ : control_connections_);
    auto limits = uids_.find(uid);
    if (limits != uids_.end()) {
        --(hints ? limits->second.hint_connections : limits->second.control_connections);
        if (limits->second.connections() == 0 && limits->second.hints.full(Clock::now())) {
            uids_.erase(limits);  // a full bucket is what a new entry would start with
        }
    }
    resume_accepting();  // a descriptor is free again
}

void Server::end_lease(Lease lease, const char* why) {
    static constexpr const char* kKindNames[] = {"game", "focus", "desktop process"};
    if (ended_leases.allow()) {
        const bool game = lease.kind == LeaseKind::game;
        log_event(spdlog::level::info, game ? message_id::kGameLeft : nullptr,
                  fmt::format("{} lease on pid {} (uid {}) ended: {}",
                              kKindNames[static_cast<int>(lease.kind)], lease.pid, lease.owner_uid, why),
                  {{"GAMESCHED_PID", std::to_string(lease.pid)},
                   {"GAMESCHED_UID", std::to_string(lease.owner_uid)}});
    }
    Status status = Ok{};
    switch (lease.kind) {
        case LeaseKind::game:
            status = scheduler_->remove_game(lease.pid);
            break;
        case LeaseKind::focus:
            status = scheduler_->set_focus(0);
            break;
        case LeaseKind::desktop:
            status = scheduler_->remove_desktop_process(lease.pid);
            break;
    }
    if (!status) spdlog::warn("scheduler: {}", status.error().message);
}

void Server::end_leases_on(pid_t pid, Clock::time_point exec_time, const char* why) {
    for (const Lease* held : {leases_.find_game(pid), leases_.find_desktop(pid)}) {
        if (held != nullptr && held->since <= exec_time) end_lease(*leases_.take(held->id), why);
    }
    const Lease* focus = leases_.focus();
    if (focus != nullptr && focus->pid == pid && focus->since <= exec_time) {
        end_lease(*leases_.take(focus->id), why);
    }
    if (!dispatching_) rearm_timer();
}

void Server::on_lease_exit(std::uint64_t lease_id) {
    if (auto lease = leases_.take(lease_id)) end_lease(std::move(*lease), "the process exited");
    resume_accepting();  // its pidfd is closed
}

void Server::on_timer() {
    std::uint64_t expirations = 0;
    (void)!read(timer_.get(), &expirations, sizeof expirations);
    const auto now = Clock::now();
    for (auto& lease : leases_.take_expired(now)) {
        end_lease(std::move(lease), "its sender disconnected and nobody renewed it");
    }
    for (auto& [id, connection] : connections_) {
        const auto paused = connection.paused_until();
        if (paused && *paused <= now) {
            connection.resume_reading();
            read_records(connection);  // level-triggered epoll would also do it; save a round
        }
    }
    push_due_stats(now);
    if (accept_paused_until_ && *accept_paused_until_ <= now) resume_accepting();
    for (auto it = uids_.begin(); it != uids_.end();) {
        it = it->second.connections() == 0 && it->second.hints.full(now) ? uids_.erase(it) : std::next(it);
    }
}

void Server::push_due_stats(Clock::time_point now) {
    if (!latest_stats_) return;
    std::optional<std::string> record;
    for (auto& [id, connection] : connections_) {
        auto& subscription = connection.subscriptions;
        if (!subscription.stats || subscription.next_stats > now) continue;
        subscription.next_stats += subscription.stats_interval;
        if (subscription.next_stats <= now) subscription.next_stats = now + subscription.stats_interval;
        if (subscription.last_stats_seq == stats_seq_) continue;  // nothing new since the last push
        subscription.last_stats_seq = stats_seq_;
        if (!record) record = ipc::encode_push(ipc::StatsSample{*latest_stats_});
        connection.send(*record, {config_.max_outbox_records, config_.max_outbox_bytes});
    }
}

void Server::rearm_timer() {
    std::optional<Clock::time_point> next = leases_.next_expiry();
    const auto consider = [&next](Clock::time_point when) {
        if (!next || when < *next) next = when;
    };
    if (accept_paused_until_) consider(*accept_paused_until_);
    for (const auto& [id, connection] : connections_) {
        if (const auto paused = connection.paused_until()) consider(*paused);
        if (connection.subscriptions.stats && latest_stats_) {
            consider(connection.subscriptions.next_stats);
        }
    }
    itimerspec spec{};
    if (next) {
        const auto since_boot = next->time_since_epoch();  // steady_clock is CLOCK_MONOTONIC
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_boot);
        spec.it_value.tv_sec = seconds.count();
        spec.it_value.tv_nsec =
            std::chrono::duration_cast<std::chrono::nanoseconds>(since_boot - seconds).count();
        if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;
    }
    if (timerfd_settime(timer_.get(), TFD_TIMER_ABSTIME, &spec, nullptr) != 0) {
        spdlog::error("timerfd_settime: {}", std::strerror(errno));
    }
}

}  // namespace gamesched::server
