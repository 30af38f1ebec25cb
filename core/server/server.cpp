#include "core/server/server.h"

#include "core/server/event_key.h"
#include "util/log.h"

#include <pwd.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>

#include <vector>

namespace gamesched::server {
namespace {

Status check_config(const ServerConfig& config) {
    if (!(config.hints_per_second > 0) || !(config.hint_burst >= 1)) {
        return Error::invalid("hint rate must be > 0 per second and the burst at least 1");
    }
    if (config.max_hint_connections == 0 || config.max_connections_per_uid == 0 ||
        config.max_control_connections == 0 || config.max_control_connections_per_uid == 0 ||
        config.max_outbox_records == 0 || config.max_records_per_round == 0) {
        return Error::invalid("connection and outbox limits must be at least 1");
    }
    return Ok{};
}

// The D-Bus bridge's system user, if it exists here.
std::optional<uid_t> lookup_user(const std::string& name) {
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(16384);
    if (getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
        return std::nullopt;
    }
    return found->pw_uid;
}

}  // namespace

Result<std::unique_ptr<Server>> Server::create(ServerConfig config, SchedulerControl& scheduler) {
    if (auto valid = check_config(config); !valid) return valid.error();
    const auto control_gid = lookup_group(config.control_group);
    auto sockets = open_listen_sockets(config, control_gid);
    if (!sockets) return sockets.error().context("opening the hint and control sockets");
    UniqueFd epoll(epoll_create1(EPOLL_CLOEXEC));
    if (!epoll) return Error::from_errno("epoll_create1");
    UniqueFd timer(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!timer) return Error::from_errno("timerfd_create");

    auto server = std::make_unique<Server>(Key{}, std::move(config), scheduler, std::move(*sockets),
                                           control_gid, std::move(epoll), std::move(timer));
    if (auto s = server->watch(server->sockets_.hints.get(), event_key(EventKind::hints_listener, 0)); !s) {
        return s.error();
    }
    if (auto s = server->watch(server->sockets_.control.get(), event_key(EventKind::control_listener, 0));
        !s) {
        return s.error();
    }
    if (auto s = server->watch(server->timer_.get(), event_key(EventKind::timer, 0)); !s) {
        return s.error();
    }
    server->bridge_uid_ = lookup_user(server->config_.bridge_user);
    if (!server->people_.logind_running()) {
        spdlog::info(
            "logind is not running: every uid counts as a person for games and the focus "
            "(with logind, only users with a session on a seat do)");
    }
    spdlog::info("serving {} and {} ({})", server->config_.hints_path(), server->config_.control_path(),
                 server->sockets_.from_systemd ? "from systemd socket activation" : "created");
    return server;
}

Server::Server(Key, ServerConfig config, SchedulerControl& scheduler, ListenSockets sockets,
               std::optional<gid_t> control_gid, UniqueFd epoll, UniqueFd timer)
    : config_(std::move(config)),
      scheduler_(&scheduler),
      sockets_(std::move(sockets)),
      control_gid_(control_gid),
      epoll_(std::move(epoll)),
      timer_(std::move(timer)),
      leases_(epoll_.get()) {}

Server::~Server() = default;

Status Server::watch(int fd, std::uint64_t key) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = key;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) != 0) {
        return Error::from_errno("epoll_ctl(ADD)");
    }
    return Ok{};
}

void Server::dispatch() {
    dispatching_ = true;
    epoll_event events[64];
    const int ready = epoll_wait(epoll_.get(), events, 64, 0);
    if (ready < 0 && errno != EINTR) {
        spdlog::error("epoll_wait on the server's fd: {}", std::strerror(errno));
    }
    for (int i = 0; i < ready; ++i) {
        const std::uint64_t key = events[i].data.u64;
        switch (event_kind(key)) {
            case EventKind::hints_listener:
                accept_clients(ipc::Channel::hints);
                break;
            case EventKind::control_listener:
                accept_clients(ipc::Channel::control);
                break;
            case EventKind::lease:
                on_lease_exit(event_id(key));
                break;
            case EventKind::timer:
                on_timer();
                break;
            case EventKind::connection: {
                const auto it = connections_.find(event_id(key));
                if (it == connections_.end()) break;
                Connection& connection = it->second;
                if (events[i].events & EPOLLOUT) connection.flush();
                if (events[i].events & EPOLLIN) {
                    read_records(connection);
                } else if (events[i].events & (EPOLLHUP | EPOLLERR)) {
                    connection.drop("hung up");  // paused, so its records would not be read anyway
                }
                break;
            }
        }
    }
    dispatching_ = false;
    close_dropped();
    rearm_timer();
}

void Server::publish_process_event(const ipc::ProcessEvent& event) {
    std::optional<std::string> record;  // encoded once, only if someone wants it
    for (auto& [id, connection] : connections_) {
        if (!connection.subscriptions.process_events) continue;
        if (connection.uid() != 0 && connection.uid() != event.uid) continue;
        if (!record) record = ipc::encode_push(event);
        connection.send(*record, {config_.max_outbox_records, config_.max_outbox_bytes});
    }
    if (!dispatching_) close_dropped();
}

void Server::publish_stats(const nlohmann::json& sample) {
    latest_stats_ = sample;
    ++stats_seq_;
    rearm_timer();
}

}  // namespace gamesched::server
