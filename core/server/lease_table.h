// Applied hints are leases: each holds a pidfd of its target (polled in the server's epoll, so
// the lease ends when the process exits) and the connection that holds it. When that connection
// closes the lease waits for a renew from the same uid until its grace period ends.
#pragma once

#include "core/server/scheduler_control.h"
#include "util/result.h"
#include "util/unique_fd.h"

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace gamesched::server {

using Clock = std::chrono::steady_clock;

enum class LeaseKind : std::uint8_t { game, focus, desktop };

struct Lease {
    std::uint64_t id = 0;  // assigned by the table
    LeaseKind kind = LeaseKind::game;
    pid_t pid = 0;
    UniqueFd pidfd;
    uid_t owner_uid = 0;   // the target's owner: whose quota it counts against
    uid_t sender_uid = 0;  // the connection's uid: may renew it
    uid_t acting_uid = 0;  // whom it was sent for (= sender, or the bridge's caller): may withdraw it
    std::optional<std::uint64_t> connection;                       // holder; none once it closed
    Clock::time_point expires{};                                   // when held by no connection
    Clock::time_point since{};                                     // when the table took it
    GameInfo info;                                                 // games only
    ipc::DesktopRole desktop_role = ipc::DesktopRole::compositor;  // desktop processes only
};

class LeaseTable {
public:
    explicit LeaseTable(int epoll_fd) : epoll_fd_(epoll_fd) {}

    // Adds a lease and starts watching its pidfd. A lease of the same kind and pid (for focus:
    // the focus lease) is replaced; the old one is returned so its pidfd can be closed.
    Result<std::optional<Lease>> put(Lease lease);

    [[nodiscard]] const Lease* find_game(pid_t pid) const { return find(LeaseKind::game, pid); }
    [[nodiscard]] const Lease* find_desktop(pid_t pid) const { return find(LeaseKind::desktop, pid); }
    [[nodiscard]] const Lease* focus() const;
    [[nodiscard]] std::size_t game_count() const { return count(LeaseKind::game); }
    [[nodiscard]] std::size_t games_owned_by(uid_t owner) const { return count(LeaseKind::game, owner); }
    [[nodiscard]] std::size_t desktop_count() const { return count(LeaseKind::desktop); }
    [[nodiscard]] std::size_t desktop_owned_by(uid_t owner) const { return count(LeaseKind::desktop, owner); }
    // How many distinct uids own game leases.
    [[nodiscard]] std::size_t game_owners() const;

    std::optional<Lease> take(std::uint64_t id);
    std::optional<Lease> take_game(pid_t pid) { return take(LeaseKind::game, pid); }
    std::optional<Lease> take_focus();

    // The holder closed: its leases wait until expires for a renew.
    void orphan(std::uint64_t connection, Clock::time_point expires);
    // A new connection of sender_uid takes over that uid's waiting leases; returns how many.
    std::size_t adopt(uid_t sender_uid, std::uint64_t connection);
    std::vector<Lease> take_expired(Clock::time_point now);
    [[nodiscard]] std::optional<Clock::time_point> next_expiry() const;

    void for_each(const std::function<void(const Lease&)>& visit) const;

private:
    [[nodiscard]] const Lease* find(LeaseKind kind, pid_t pid) const;
    [[nodiscard]] std::size_t count(LeaseKind kind, std::optional<uid_t> owner = std::nullopt) const;
    std::optional<Lease> take(LeaseKind kind, pid_t pid);
    void unwatch(const Lease& lease);

    int epoll_fd_;
    std::uint64_t next_id_ = 1;
    std::map<std::uint64_t, Lease> leases_;  // at most GS_MAX_GAMES + 1: scans are cheap
};

}  // namespace gamesched::server
