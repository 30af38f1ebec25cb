// The application side of the server: one handler per request type of the registry
// (ipc/messages.h says who may send each; run() enforces it with the peer's identity), and the
// handlers, which validate meaning: ownership, limits, state.
#include "core/server/fair_share.h"
#include "core/server/server.h"
#include "ipc/reply_codec.h"
#include "ipc/utf8.h"
#include "util/journal.h"
#include "util/log.h"
#include "util/log_rate_limit.h"
#include "util/message_ids.h"

#include <spdlog/fmt/fmt.h>

#include <limits>

#include "bpf/intf.h"

namespace gamesched::server {
namespace {

using Json = nlohmann::json;
using ipc::MessageType;

std::string str(std::uint64_t value) {
    return std::to_string(value);
}

}  // namespace

Error Server::foreign_namespace() {
    return Error{EPERM,
                 "your process lives in another PID namespace, so the PIDs you send would "
                 "name other processes here; send hints from the host's PID namespace"};
}

namespace {

// Each refusal is a line with MESSAGE_ID "hint refused" up to the limit; beyond it, one summary
// per window with the same MESSAGE_ID and GAMESCHED_SUPPRESSED.
LogRateLimit refused_hints("refused hints", 20, std::chrono::seconds(10), message_id::kHintRefused);

void log_refused_hint(const Connection& connection, const Error& error) {
    if (!refused_hints.allow()) return;
    log_event(spdlog::level::info, message_id::kHintRefused,
              fmt::format("refused a hint from uid {} pid {}: {}", connection.uid(),
                          connection.peer().credentials.pid, printable(error.message)),
              {{"GAMESCHED_UID", std::to_string(connection.uid())},
               {"GAMESCHED_PEER_PID", std::to_string(connection.peer().credentials.pid)}});
}

}  // namespace

bool Server::is_delegate(const Connection& connection) const {
    return connection.channel() == ipc::Channel::control &&
           (connection.uid() == 0 || (bridge_uid_ && connection.uid() == *bridge_uid_));
}

// Who may send what is the registry's (ipc/messages.h); the checks here need the peer as well.
template <typename M>
Result<Json> Server::run(Connection& connection, const M& message, std::uint64_t id) {
    if constexpr (M::info.direction == ipc::Direction::push) {
        return Error::invalid(std::string(M::info.name) +
                              " is sent by the core, never accepted from clients");
    } else {
        if (M::info.access == ipc::Access::admin && !is_delegate(connection)) {
            return Error{EPERM, std::string(M::info.name) +
                                    " is for administrators: run it as root (sudo gameschedctl), or "
                                    "through D-Bus (org.gamesched.Scheduler1) with polkit's consent"};
        }
        if constexpr (ipc::Delegable<M>) {
            if (message.on_behalf_of) {
                if (!is_delegate(connection)) {
                    return Error{EPERM, "field \"on_behalf_of\" is for root and the D-Bus bridge (user " +
                                            config_.bridge_user + "); leave it out to act as yourself"};
                }
                if (auto budget = charge(*message.on_behalf_of); !budget) return budget.error();
            }
        }
        (void)id;
        auto reply = handle(connection, message);
        if (!reply) return reply.error();
        return ipc::reply_body(*reply);
    }
}

// A delegate's unprivileged caller pays from the same budget as on hints.sock, so the bridge
// cannot be used to flood; root and the bridge's own requests are not charged.
Status Server::charge(uid_t acting_uid) {
    if (acting_uid == 0 || (bridge_uid_ && acting_uid == *bridge_uid_)) return Ok{};
    if (per_uid(acting_uid).hints.take(Clock::now())) return Ok{};
    return Error{EAGAIN, fmt::format("rate limit: uid {} sent more than {:g} hints per second (burst {:g}); "
                                     "this request was dropped, slow down and retry later",
                                     acting_uid, config_.hints_per_second, config_.hint_burst)};
}

void Server::handle_record(Connection& connection, std::string_view record) {
    const auto now = Clock::now();
    if (connection.channel() == ipc::Channel::hints) {
        TokenBucket& budget = per_uid(connection.uid()).hints;
        if (!budget.take(now)) {
            const auto resume = budget.next_token(now);
            send(connection,
                 ipc::error_reply(std::nullopt,
                                  fmt::format("rate limit: uid {} sent more than {:g} hints per "
                                              "second (burst {:g}); this message was dropped, "
                                              "slow down and retry later",
                                              connection.uid(), config_.hints_per_second, config_.hint_burst),
                                  EAGAIN));
            connection.pause_reading(resume);  // a flood now costs nothing until a token is back
            return;
        }
    }
    auto envelope = ipc::parse_request_envelope(record, connection.channel());
    if (!envelope) return send(connection, ipc::error_reply(std::nullopt, envelope.error().message));
    auto message = ipc::decode_request_body(*envelope, connection.channel());
    if (!message) {
        return send(connection,
                    ipc::error_reply(envelope->id, message.error().message, message.error().code));
    }
    Result<Json> result = Error{0, "internal error"};
    try {
        result = std::visit([&](const auto& m) { return run(connection, m, envelope->id); }, *message);
    } catch (const std::exception& e) {  // a handler bug must not take the root daemon down
        spdlog::error("BUG: handler for {} threw: {}", ipc::type_name(envelope->type), e.what());
    }
    if (!result && connection.channel() == ipc::Channel::hints) log_refused_hint(connection, result.error());
    send(connection, result ? ipc::ok_reply(envelope->id, std::move(*result))
                            : ipc::error_reply(envelope->id, result.error().message, result.error().code));
}

Result<ipc::GameHeld> Server::hold_game(Connection& connection, pid_t pid, uid_t acting_uid, GameInfo info,
                                        bool from_process_name) {
    if (!connection.peer().same_pid_namespace) return foreign_namespace();
    auto target = verify_hint_target(acting_uid, pid);
    if (!target) return target.error();
    const uid_t owner = target->status.real_uid;
    if (auto person = people_.may_hold_games(owner); !person) return person.error();
    if (leases_.find_game(pid) == nullptr) {
        const std::size_t mine = leases_.games_owned_by(owner);
        const std::size_t owners = leases_.game_owners() + (mine == 0 ? 1 : 0);
        if (mine >= config_.max_games_per_uid) {
            return Error{EDQUOT, "uid " + str(owner) + " already has " + str(config_.max_games_per_uid) +
                                     " games registered (the limit); unregister one first"};
        }
        if (mine >= game_share(GS_MAX_GAMES, config_.max_games_per_uid, owners)) {
            return Error{EDQUOT, "uid " + str(owner) + " already has " + str(mine) +
                                     " games registered, its fair share while " + str(owners) +
                                     " users hold games (a share of the table stays free for one more "
                                     "user); unregister one first"};
        }
        if (leases_.game_count() >= GS_MAX_GAMES) {
            return Error{ENOSPC, "the scheduler already tracks " + str(GS_MAX_GAMES) +
                                     " games (all users); try again when one exits"};
        }
    }
    if (from_process_name) {
        info.name = ipc::sanitize_text(target->status.name);
        if (info.name.empty()) info.name = "pid " + str(static_cast<std::uint64_t>(pid));
    }
    if (auto added = scheduler_->add_game(pid, owner, info); !added) {
        return added.error().context("the scheduler did not take pid " + str(pid));
    }
    Lease lease;
    lease.kind = LeaseKind::game;
    lease.pid = pid;
    lease.pidfd = std::move(target->pidfd);
    lease.owner_uid = owner;
    lease.sender_uid = connection.uid();
    lease.acting_uid = acting_uid;
    lease.connection = connection.id();
    lease.info = std::move(info);
    if (auto put = leases_.put(std::move(lease)); !put) {
        (void)scheduler_->remove_game(pid);
        return put.error();
    }
    spdlog::debug("game pid {} (uid {}) held by uid {} for uid {}", pid, owner, connection.uid(), acting_uid);
    return ipc::GameHeld{pid, owner};
}

// Ownership is checked against the person the request is for (the sender, or the bridge's
// caller), never against the bridge that forwards it.
Result<ipc::GameReleased> Server::release_game(pid_t pid, uid_t acting_uid) {
    const Lease* lease = leases_.find_game(pid);
    if (lease == nullptr) return ipc::GameReleased{false};
    if (acting_uid != 0 && lease->owner_uid != acting_uid && lease->acting_uid != acting_uid) {
        // Answered as if there were no lease: another user's games are not this sender's business.
        spdlog::debug("uid {} tried to withdraw the game lease on pid {} of uid {}", acting_uid, pid,
                      lease->owner_uid);
        return ipc::GameReleased{false};
    }
    end_lease(*leases_.take_game(pid), "withdrawn by its sender");
    return ipc::GameReleased{true};
}

Result<ipc::GameHeld> Server::handle(Connection& connection, const ipc::GameStarted& m) {
    return hold_game(connection, m.pid, connection.uid(), GameInfo{m.name, m.app_id, m.source, m.confidence},
                     false);
}

Result<ipc::GameHeld> Server::handle(Connection& connection, const ipc::RegisterGame& m) {
    return hold_game(connection, m.pid, m.on_behalf_of.value_or(connection.uid()),
                     GameInfo{"", std::nullopt, "gamemode", 100}, true);
}

Result<ipc::GameReleased> Server::handle(Connection& connection, const ipc::GameExited& m) {
    return release_game(m.pid, connection.uid());
}

Result<ipc::GameReleased> Server::handle(Connection& connection, const ipc::UnregisterGame& m) {
    return release_game(m.pid, m.on_behalf_of.value_or(connection.uid()));
}

Result<ipc::FocusUpdated> Server::handle(Connection& connection, const ipc::FocusChanged& m) {
    const pid_t pid = m.pid;
    const uid_t uid = connection.uid();
    if (pid == 0) {
        const Lease* focus = leases_.focus();
        if (focus == nullptr) return ipc::FocusUpdated{0, false};
        if (uid != 0 && focus->owner_uid != uid && focus->sender_uid != uid) {
            spdlog::debug("uid {} tried to clear the focus of uid {}", uid, focus->owner_uid);
            return ipc::FocusUpdated{0, false};  // as if there were none: whose focus it is stays private
        }
        end_lease(*leases_.take_focus(), "cleared by its sender");
        return ipc::FocusUpdated{0, true};
    }
    if (!connection.peer().same_pid_namespace) return foreign_namespace();
    auto target = verify_hint_target(uid, pid);
    if (!target) return target.error();
    if (auto person = people_.may_take_focus(target->status.real_uid); !person) return person.error();
    if (auto set = scheduler_->set_focus(pid); !set) {
        return set.error().context("the scheduler did not take the focus on pid " + str(pid));
    }
    Lease lease;
    lease.kind = LeaseKind::focus;
    lease.pid = pid;
    lease.pidfd = std::move(target->pidfd);
    lease.owner_uid = target->status.real_uid;
    lease.sender_uid = uid;
    lease.acting_uid = uid;
    lease.connection = connection.id();
    if (auto put = leases_.put(std::move(lease)); !put) {
        (void)scheduler_->set_focus(0);
        return put.error();
    }
    return ipc::FocusUpdated{pid, false};
}

Result<ipc::Renewed> Server::handle(Connection& connection, const ipc::Renew&) {
    return ipc::Renewed{leases_.adopt(connection.uid(), connection.id())};
}

Result<ipc::Done> Server::handle(Connection& connection, const ipc::SetTunables& m) {
    if (auto set = scheduler_->set_tunables(m.tunables); !set) {
        return set.error().context("the scheduler refused the tunables");
    }
    spdlog::info("tunables changed by uid {}", m.on_behalf_of.value_or(connection.uid()));
    return ipc::Done{};
}

Result<ipc::ModeSet> Server::handle(Connection& connection, const ipc::SetMode& m) {
    if (auto set = scheduler_->set_mode(m.mode); !set) {
        return set.error().context("the scheduler refused the mode");
    }
    spdlog::info("mode {} set by uid {}", ipc::mode_name(m.mode), m.on_behalf_of.value_or(connection.uid()));
    return ipc::ModeSet{m.mode};
}

Result<ipc::Subscribed> Server::handle(Connection& connection, const ipc::Subscribe& m) {
    if (m.stats && connection.channel() != ipc::Channel::control) {
        return Error{EPERM, "the stats topic is available on control.sock only"};
    }
    auto& subscriptions = connection.subscriptions;
    subscriptions.process_events = m.process_events;
    subscriptions.stats = m.stats;
    subscriptions.stats_interval = std::chrono::milliseconds(m.interval_ms);
    subscriptions.next_stats = Clock::now() + subscriptions.stats_interval;
    ipc::Subscribed reply{m.process_events, m.stats, std::nullopt};
    if (m.stats) reply.interval_ms = m.interval_ms;
    return reply;
}

// The reply goes out first: the core stops after the current callback.
Result<ipc::Done> Server::handle(Connection& connection, const ipc::Stop& m) {
    const uid_t uid = m.on_behalf_of.value_or(connection.uid());
    const std::string by =
        m.on_behalf_of ? fmt::format("uid {} through the D-Bus bridge", uid) : fmt::format("uid {}", uid);
    if (auto stopped = scheduler_->stop_and_stay_off(by); !stopped) {
        return stopped.error().context("the scheduler could not be stopped");
    }
    return ipc::Done{};
}

void Server::describe_leases(const Connection& asker, ipc::CoreStatus& status) const {
    const bool sees_all = asker.uid() == 0 || asker.channel() == ipc::Channel::control;
    const auto now = Clock::now();
    leases_.for_each([&](const Lease& lease) {
        if (!sees_all && lease.owner_uid != asker.uid() && lease.acting_uid != asker.uid() &&
            lease.sender_uid != asker.uid()) {
            return;
        }
        ipc::LeaseView view{lease.pid, lease.owner_uid, lease.acting_uid, lease.connection.has_value(),
                            std::nullopt};
        if (!lease.connection) {
            view.expires_in_ms =
                std::chrono::duration_cast<std::chrono::milliseconds>(lease.expires - now).count();
        }
        if (lease.kind == LeaseKind::focus) {
            status.focus = view;
            return;
        }
        if (lease.kind == LeaseKind::desktop) return;  // listed in the scheduler's part (control.sock)
        status.games.push_back(ipc::GameView{view, lease.info.name, lease.info.source, lease.info.confidence,
                                             lease.info.app_id});
    });
}

// A reply must fit one record of its channel (4 KiB on hints.sock, where 16 games with long names
// would not): games are left out from the end until it does; control.sock has the whole list.
static void fit_in_record(ipc::CoreStatus& status, ipc::Channel channel) {
    const auto size = [&] {
        return ipc::encode_reply(
                   ipc::ok_reply(std::numeric_limits<std::uint64_t>::max(), ipc::reply_body(status)))
            .size();
    };
    while (!status.games.empty() && size() > ipc::max_record_size(channel)) status.games.pop_back();
}

Result<ipc::CoreStatus> Server::handle(Connection& connection, const ipc::GetStatus&) {
    ipc::CoreStatus status;
    describe_leases(connection, status);
    status.socket_activated = sockets_.from_systemd;
    status.your_uid = connection.uid();
    status.you_may_control = connection.peer().may_control;
    if (connection.channel() != ipc::Channel::control) {
        fit_in_record(status, connection.channel());
        return status;
    }
    status.server_details["connections"] = connections_.size();
    status.server_details["limits"] = {{"max_games_per_uid", config_.max_games_per_uid},
                                       {"hints_per_second", config_.hints_per_second},
                                       {"hint_burst", config_.hint_burst},
                                       {"max_connections_per_uid", config_.max_connections_per_uid},
                                       {"lease_grace_ms", config_.lease_grace.count()}};
    status.scheduler = scheduler_->status();
    return status;
}

}  // namespace gamesched::server
