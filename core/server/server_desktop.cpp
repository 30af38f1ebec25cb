// desktop_process: the sender's compositor or audio server, held like a game hint (a lease on
// the process, ended by its exit or its sender's going away). A user may name only their own
// processes: ownership is verified through a pidfd, as for every hint.
#include "core/server/server.h"

#include <spdlog/spdlog.h>

#include <string>

#include "bpf/intf.h"
#include "ipc/reply_codec.h"

namespace gamesched::server {

Result<ipc::DesktopHeld> Server::handle(Connection& connection, const ipc::DesktopProcess& m) {
    if (!connection.peer().same_pid_namespace) return foreign_namespace();
    auto target = verify_hint_target(connection.uid(), m.pid);
    if (!target) return target.error();
    const uid_t owner = target->status.real_uid;
    // Its treatment serves the user's focused game, which only a person at a seat can have.
    if (auto person = people_.may_hold_games(owner); !person) return person.error();
    if (leases_.find_desktop(m.pid) == nullptr) {
        if (leases_.desktop_owned_by(owner) >= config_.max_desktop_per_uid) {
            return Error{EDQUOT, "uid " + std::to_string(owner) + " already has " +
                                     std::to_string(config_.max_desktop_per_uid) +
                                     " desktop processes registered (the limit)"};
        }
        if (leases_.desktop_count() >= GS_MAX_DESKTOP_PROCS) {
            return Error{ENOSPC, "the scheduler already holds " + std::to_string(GS_MAX_DESKTOP_PROCS) +
                                     " desktop processes (all users); try again when one exits"};
        }
    }
    if (auto added = scheduler_->add_desktop_process(m.pid, owner, m.role); !added) {
        return added.error().context("the scheduler did not take pid " + std::to_string(m.pid));
    }
    Lease lease;
    lease.kind = LeaseKind::desktop;
    lease.pid = m.pid;
    lease.pidfd = std::move(target->pidfd);
    lease.owner_uid = owner;
    lease.sender_uid = connection.uid();
    lease.acting_uid = connection.uid();
    lease.connection = connection.id();
    lease.desktop_role = m.role;
    if (auto put = leases_.put(std::move(lease)); !put) {
        (void)scheduler_->remove_desktop_process(m.pid);
        return put.error();
    }
    spdlog::debug("pid {} (uid {}) is that user's {}: boosted while a game has the focus", m.pid, owner,
                  m.role == ipc::DesktopRole::audio ? "audio server" : "compositor");
    return ipc::DesktopHeld{m.pid, owner, m.role};
}

}  // namespace gamesched::server
