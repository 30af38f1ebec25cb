#include "core/server/lease_table.h"

#include "core/server/event_key.h"

#include <sys/epoll.h>

#include <set>

namespace gamesched::server {

Result<std::optional<Lease>> LeaseTable::put(Lease lease) {
    std::optional<Lease> replaced =
        lease.kind == LeaseKind::focus ? take_focus() : take(lease.kind, lease.pid);
    lease.id = next_id_++;
    lease.since = Clock::now();
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = event_key(EventKind::lease, lease.id);
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, lease.pidfd.get(), &event) != 0) {
        return Error::from_errno("epoll_ctl(ADD pidfd)");
    }
    const auto id = lease.id;
    leases_.emplace(id, std::move(lease));
    return replaced;
}

const Lease* LeaseTable::find(LeaseKind kind, pid_t pid) const {
    for (const auto& [id, lease] : leases_) {
        if (lease.kind == kind && lease.pid == pid) return &lease;
    }
    return nullptr;
}

const Lease* LeaseTable::focus() const {
    for (const auto& [id, lease] : leases_) {
        if (lease.kind == LeaseKind::focus) return &lease;
    }
    return nullptr;
}

std::size_t LeaseTable::count(LeaseKind kind, std::optional<uid_t> owner) const {
    std::size_t n = 0;
    for (const auto& [id, lease] : leases_) n += lease.kind == kind && (!owner || lease.owner_uid == *owner);
    return n;
}

std::size_t LeaseTable::game_owners() const {
    std::set<uid_t> owners;
    for (const auto& [id, lease] : leases_) {
        if (lease.kind == LeaseKind::game) owners.insert(lease.owner_uid);
    }
    return owners.size();
}

void LeaseTable::unwatch(const Lease& lease) {
    // Closing the pidfd would drop it from the epoll set too; being explicit keeps it obvious.
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, lease.pidfd.get(), nullptr);
}

std::optional<Lease> LeaseTable::take(std::uint64_t id) {
    const auto it = leases_.find(id);
    if (it == leases_.end()) return std::nullopt;
    Lease lease = std::move(it->second);
    leases_.erase(it);
    unwatch(lease);
    return lease;
}

std::optional<Lease> LeaseTable::take(LeaseKind kind, pid_t pid) {
    const Lease* lease = find(kind, pid);
    return lease == nullptr ? std::nullopt : take(lease->id);
}

std::optional<Lease> LeaseTable::take_focus() {
    const Lease* lease = focus();
    return lease == nullptr ? std::nullopt : take(lease->id);
}

void LeaseTable::orphan(std::uint64_t connection, Clock::time_point expires) {
    for (auto& [id, lease] : leases_) {
        if (lease.connection == connection) {
            lease.connection.reset();
            lease.expires = expires;
        }
    }
}

std::size_t LeaseTable::adopt(uid_t sender_uid, std::uint64_t connection) {
    std::size_t adopted = 0;
    for (auto& [id, lease] : leases_) {
        if (!lease.connection && lease.sender_uid == sender_uid) {
            lease.connection = connection;
            ++adopted;
        }
    }
    return adopted;
}

std::vector<Lease> LeaseTable::take_expired(Clock::time_point now) {
    std::vector<std::uint64_t> expired;
    for (const auto& [id, lease] : leases_) {
        if (!lease.connection && lease.expires <= now) expired.push_back(id);
    }
    std::vector<Lease> taken;
    for (auto id : expired) taken.push_back(*take(id));
    return taken;
}

std::optional<Clock::time_point> LeaseTable::next_expiry() const {
    std::optional<Clock::time_point> next;
    for (const auto& [id, lease] : leases_) {
        if (!lease.connection && (!next || lease.expires < *next)) next = lease.expires;
    }
    return next;
}

void LeaseTable::for_each(const std::function<void(const Lease&)>& visit) const {
    for (const auto& [id, lease] : leases_) visit(lease);
}

}  // namespace gamesched::server
