// The hint and control socket server. It owns one epoll fd that the core's main loop watches
// (nested epoll) and calls dispatch() on; everything inside (listeners, connections, lease
// pidfds, one timerfd for lease expiry, throttling and stats pushes) is multiplexed on it.
// No threads. It reaches the scheduler only through SchedulerControl.
#pragma once

#include "core/server/connection.h"
#include "core/server/lease_table.h"
#include "core/server/listen_sockets.h"
#include "core/server/people.h"
#include "core/server/scheduler_control.h"
#include "core/server/server_config.h"
#include "core/server/token_bucket.h"
#include "ipc/codec.h"
#include "util/result.h"
#include "util/unique_fd.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>

namespace gamesched::server {

class Server {
    struct Key {
        explicit Key() = default;
    };

public:
    static Result<std::unique_ptr<Server>> create(ServerConfig config, SchedulerControl& scheduler);

    // Use create(); Key keeps construction to it.
    Server(Key, ServerConfig config, SchedulerControl& scheduler, ListenSockets sockets,
           std::optional<gid_t> control_gid, UniqueFd epoll, UniqueFd timer);
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;
    ~Server();

    // Readable whenever dispatch() has work.
    [[nodiscard]] int poll_fd() const { return epoll_.get(); }
    // Handles everything that is ready now, without blocking.
    void dispatch();

    // Forwards a process event to subscribers of the process's uid (root subscribers get all).
    // Safe to call at any time, also from inside a SchedulerControl callback.
    void publish_process_event(const ipc::ProcessEvent& event);
    // The process gained privilege by exec (set-uid/set-gid ids, file capabilities) at exec_time:
    // the game, desktop and focus leases it had then end now. Leases made later (a reused pid) stay.
    void end_leases_on(pid_t pid, Clock::time_point exec_time, const char* why);
    // Keeps the latest sample; subscribers get it at their own interval.
    void publish_stats(const nlohmann::json& sample);

    [[nodiscard]] bool socket_activated() const { return sockets_.from_systemd; }

private:
    struct PerUid {
        TokenBucket hints;
        std::size_t hint_connections = 0;
        std::size_t control_connections = 0;
        [[nodiscard]] std::size_t connections() const { return hint_connections + control_connections; }
    };
    Status watch(int fd, std::uint64_t key);

    // server_io.cpp: accepting, reading, closing, timers.
    void accept_clients(ipc::Channel channel);
    [[nodiscard]] std::optional<std::string> over_budget(ipc::Channel channel, uid_t uid);
    void pause_accepting(int error);
    void resume_accepting();
    void poll_listeners(bool on);
    void refuse(UniqueFd fd, const std::string& reason);
    void read_records(Connection& connection);
    void handle_record(Connection& connection, std::string_view record);
    void close_dropped();
    void close_connection(std::uint64_t id);
    void on_lease_exit(std::uint64_t lease_id);
    void on_timer();
    void push_due_stats(Clock::time_point now);
    void rearm_timer();
    void end_lease(Lease lease, const char* why);
    void send(Connection& connection, const ipc::Reply& reply);
    PerUid& per_uid(uid_t uid);

    // server_requests.cpp: dispatch, and one handler per request type of ipc/messages.h.
    template <typename M>
    Result<nlohmann::json> run(Connection& connection, const M& message, std::uint64_t id);
    [[nodiscard]] bool is_delegate(const Connection& connection) const;
    static Error foreign_namespace();  // the refusal of a hint from another PID namespace
    Status charge(uid_t acting_uid);
    Result<ipc::GameHeld> handle(Connection&, const ipc::GameStarted&);
    Result<ipc::GameReleased> handle(Connection&, const ipc::GameExited&);
    Result<ipc::FocusUpdated> handle(Connection&, const ipc::FocusChanged&);
    Result<ipc::GameHeld> handle(Connection&, const ipc::RegisterGame&);
    Result<ipc::GameReleased> handle(Connection&, const ipc::UnregisterGame&);
    Result<ipc::Renewed> handle(Connection&, const ipc::Renew&);
    Result<ipc::DesktopHeld> handle(Connection&, const ipc::DesktopProcess&);  // server_desktop.cpp
    Result<ipc::Done> handle(Connection&, const ipc::SetTunables&);
    Result<ipc::ModeSet> handle(Connection&, const ipc::SetMode&);
    Result<ipc::CoreStatus> handle(Connection&, const ipc::GetStatus&);
    Result<ipc::Subscribed> handle(Connection&, const ipc::Subscribe&);
    Result<ipc::Done> handle(Connection&, const ipc::Stop&);
    Result<ipc::GameHeld> hold_game(Connection&, pid_t pid, uid_t acting_uid, GameInfo info,
                                    bool from_process_name);
    Result<ipc::GameReleased> release_game(pid_t pid, uid_t acting_uid);
    void describe_leases(const Connection& asker, ipc::CoreStatus& status) const;

    ServerConfig config_;
    SchedulerControl* scheduler_;
    ListenSockets sockets_;
    std::optional<gid_t> control_gid_;
    std::optional<uid_t> bridge_uid_;  // config_.bridge_user, if it exists: may use on_behalf_of
    UniqueFd epoll_;
    UniqueFd timer_;
    LeaseTable leases_;
    People people_;
    std::map<std::uint64_t, Connection> connections_;
    std::map<uid_t, PerUid> uids_;
    std::uint64_t next_connection_id_ = 1;
    std::size_t hint_connections_ = 0;
    std::size_t control_connections_ = 0;
    // Out of fds: the listeners are unpolled until something closes or this time passes.
    std::optional<Clock::time_point> accept_paused_until_;
    Clock::time_point last_fd_warning_{};
    std::optional<nlohmann::json> latest_stats_;
    std::uint64_t stats_seq_ = 0;
    bool dispatching_ = false;  // connections are only closed outside handlers
};

}  // namespace gamesched::server
