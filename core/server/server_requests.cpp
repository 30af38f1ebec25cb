// The application side of the server: one table of request types (who may send each, which
// handler runs it) and the handlers, which validate meaning: ownership, limits, state.
#include "core/server/server.h"
#include "ipc/utf8.h"
#include "util/log.h"

#include <spdlog/fmt/fmt.h>

#include "bpf/intf.h"

namespace gamesched::server {
namespace {

using Json = nlohmann::json;
using ipc::MessageType;

std::string str(std::uint64_t value) {
    return std::to_string(value);
}

Error foreign_namespace() {
    return Error{EPERM,
                 "your process lives in another PID namespace, so the PIDs you send would "
                 "name other processes here; send hints from the host's PID namespace"};
}

}  // namespace

const Server::RequestRule* Server::find_rule(MessageType type) {
    // type, hints.sock, control.sock, handler
    static const RequestRule kRules[] = {
        {MessageType::game_started, true, true, &Server::on_game_started},
        {MessageType::game_exited, true, true, &Server::on_game_exited},
        {MessageType::focus_changed, true, true, &Server::on_focus_changed},
        {MessageType::register_game, true, true, &Server::on_register_game},
        {MessageType::unregister_game, true, true, &Server::on_unregister_game},
        {MessageType::renew, true, true, &Server::on_renew},
        {MessageType::set_tunables, false, true, &Server::on_set_tunables},
        {MessageType::set_mode, false, true, &Server::on_set_mode},
        {MessageType::get_status, true, true, &Server::on_get_status},
        {MessageType::subscribe, true, true, &Server::on_subscribe},
    };
    for (const auto& rule : kRules) {
        if (rule.type == type) return &rule;
    }
    return nullptr;
}

bool Server::accepts(MessageType type, ipc::Channel channel) {
    const RequestRule* rule = find_rule(type);
    return rule != nullptr && (channel == ipc::Channel::hints ? rule->on_hints : rule->on_control);
}

void Server::handle_record(Connection& connection, std::string_view record) {
    const auto now = Clock::now();
    if (connection.channel() == ipc::Channel::hints) {
        TokenBucket& budget = per_uid(connection.uid()).hints;
        if (!budget.take(now)) {
            const auto resume = budget.next_token(now);
            send(connection, ipc::error_reply(std::nullopt,
                                              fmt::format("rate limit: uid {} sent more than {:g} hints per "
                                                          "second (burst {:g}); this message was dropped, "
                                                          "slow down and retry later",
                                                          connection.uid(), config_.hints_per_second,
                                                          config_.hint_burst)));
            connection.pause_reading(resume);  // a flood now costs nothing until a token is back
            return;
        }
    }
    auto envelope = ipc::parse_request_envelope(record, connection.channel());
    if (!envelope) return send(connection, ipc::error_reply(std::nullopt, envelope.error().message));
    const RequestRule* rule = find_rule(envelope->type);
    if (rule == nullptr || !accepts(envelope->type, connection.channel())) {
        return send(connection,
                    ipc::error_reply(envelope->id, std::string(ipc::type_name(envelope->type)) +
                                                       " is not accepted on " +
                                                       std::string(ipc::channel_name(connection.channel()))));
    }
    auto message = ipc::decode_request_body(*envelope, connection.channel());
    if (!message) return send(connection, ipc::error_reply(envelope->id, message.error().message));
    Result<Json> result = Error{0, "internal error"};
    try {
        result = (this->*rule->handler)(connection, *message);
    } catch (const std::exception& e) {  // a handler bug must not take the root daemon down
        spdlog::error("BUG: handler for {} threw: {}", ipc::type_name(envelope->type), e.what());
    }
    send(connection, result ? ipc::ok_reply(envelope->id, std::move(*result))
                            : ipc::error_reply(envelope->id, result.error().message));
}

Result<Json> Server::hold_game(Connection& connection, pid_t pid, uid_t acting_uid, GameInfo info,
                               bool from_process_name) {
    if (!connection.peer().same_pid_namespace) return foreign_namespace();
    auto target = verify_hint_target(acting_uid, pid);
    if (!target) return target.error();
    const uid_t owner = target->status.real_uid;
    if (leases_.find_game(pid) == nullptr) {
        if (leases_.games_owned_by(owner) >= config_.max_games_per_uid) {
            return Error{EDQUOT, "uid " + str(owner) + " already has " + str(config_.max_games_per_uid) +
                                     " games registered (the limit); unregister one first"};
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
    lease.connection = connection.id();
    lease.info = std::move(info);
    if (auto put = leases_.put(std::move(lease)); !put) {
        (void)scheduler_->remove_game(pid);
        return put.error();
    }
    spdlog::debug("game pid {} (uid {}) held by uid {}", pid, owner, connection.uid());
    return Json{{"pid", pid}, {"owner_uid", owner}};
}

Result<Json> Server::release_game(Connection& connection, pid_t pid, uid_t acting_uid) {
    const Lease* lease = leases_.find_game(pid);
    if (lease == nullptr) return Json{{"removed", false}};
    if (acting_uid != 0 && lease->owner_uid != acting_uid && lease->sender_uid != connection.uid()) {
        return Error{EPERM, "the game hint on pid " + str(pid) + " belongs to uid " + str(lease->owner_uid) +
                                "; uid " + str(acting_uid) + " cannot withdraw it"};
    }
    end_lease(*leases_.take_game(pid), "withdrawn by its sender");
    return Json{{"removed", true}};
}

Result<Json> Server::on_game_started(Connection& connection, const ipc::Message& message) {
    const auto& m = std::get<ipc::GameStarted>(message);
    return hold_game(connection, m.pid, connection.uid(), GameInfo{m.name, m.app_id, m.source, m.confidence},
                     false);
}

Result<Json> Server::on_register_game(Connection& connection, const ipc::Message& message) {
    const auto& m = std::get<ipc::RegisterGame>(message);
    return hold_game(connection, m.pid, m.on_behalf_of_uid.value_or(connection.uid()),
                     GameInfo{"", std::nullopt, "gamemode", 100}, true);
}

Result<Json> Server::on_game_exited(Connection& connection, const ipc::Message& message) {
    return release_game(connection, std::get<ipc::GameExited>(message).pid, connection.uid());
}

Result<Json> Server::on_unregister_game(Connection& connection, const ipc::Message& message) {
    const auto& m = std::get<ipc::UnregisterGame>(message);
    return release_game(connection, m.pid, m.on_behalf_of_uid.value_or(connection.uid()));
}

Result<Json> Server::on_focus_changed(Connection& connection, const ipc::Message& message) {
    const pid_t pid = std::get<ipc::FocusChanged>(message).pid;
    const uid_t uid = connection.uid();
    if (pid == 0) {
        const Lease* focus = leases_.focus();
        if (focus == nullptr) return Json{{"cleared", false}};
        if (uid != 0 && focus->owner_uid != uid && focus->sender_uid != uid) {
            return Error{EPERM, "the focus is on a process of uid " + str(focus->owner_uid) +
                                    "; only that user or root can clear it"};
        }
        end_lease(*leases_.take_focus(), "cleared by its sender");
        return Json{{"cleared", true}};
    }
    if (!connection.peer().same_pid_namespace) return foreign_namespace();
    auto target = verify_hint_target(uid, pid);
    if (!target) return target.error();
    if (auto set = scheduler_->set_focus(pid); !set) {
        return set.error().context("the scheduler did not take the focus on pid " + str(pid));
    }
    Lease lease;
    lease.kind = LeaseKind::focus;
    lease.pid = pid;
    lease.pidfd = std::move(target->pidfd);
    lease.owner_uid = target->status.real_uid;
    lease.sender_uid = uid;
    lease.connection = connection.id();
    if (auto put = leases_.put(std::move(lease)); !put) {
        (void)scheduler_->set_focus(0);
        return put.error();
    }
    return Json{{"pid", pid}};
}

Result<Json> Server::on_renew(Connection& connection, const ipc::Message&) {
    const std::size_t renewed = leases_.adopt(connection.uid(), connection.id());
    return Json{{"renewed", renewed}};
}

Result<Json> Server::on_set_tunables(Connection&, const ipc::Message& message) {
    if (auto set = scheduler_->set_tunables(std::get<ipc::SetTunables>(message).tunables); !set) {
        return set.error().context("the scheduler refused the tunables");
    }
    return Json::object();
}

Result<Json> Server::on_set_mode(Connection&, const ipc::Message& message) {
    const auto mode = std::get<ipc::SetMode>(message).mode;
    if (auto set = scheduler_->set_mode(mode); !set) {
        return set.error().context("the scheduler refused the mode");
    }
    return Json{{"mode", ipc::mode_name(mode)}};
}

Result<Json> Server::on_subscribe(Connection& connection, const ipc::Message& message) {
    const auto& m = std::get<ipc::Subscribe>(message);
    if (m.stats && connection.channel() != ipc::Channel::control) {
        return Error{EPERM, "the stats topic is available on control.sock only"};
    }
    auto& subscriptions = connection.subscriptions;
    subscriptions.process_events = m.process_events;
    subscriptions.stats = m.stats;
    subscriptions.stats_interval = std::chrono::milliseconds(m.interval_ms);
    subscriptions.next_stats = Clock::now() + subscriptions.stats_interval;
    Json topics = Json::array();
    if (m.process_events) topics.push_back("process_events");
    if (m.stats) topics.push_back("stats");
    Json reply = {{"topics", std::move(topics)}};
    if (m.stats) reply["interval_ms"] = m.interval_ms;
    return reply;
}

Json Server::describe_leases(const Connection& asker) const {
    const bool sees_all = asker.uid() == 0 || asker.channel() == ipc::Channel::control;
    const auto now = Clock::now();
    Json games = Json::array();
    Json focus = nullptr;
    leases_.for_each([&](const Lease& lease) {
        if (!sees_all && lease.owner_uid != asker.uid() && lease.sender_uid != asker.uid()) return;
        Json entry = {{"pid", lease.pid},
                      {"owner_uid", lease.owner_uid},
                      {"sender_uid", lease.sender_uid},
                      {"held", lease.connection.has_value()}};
        if (!lease.connection) {
            entry["expires_in_ms"] =
                std::chrono::duration_cast<std::chrono::milliseconds>(lease.expires - now).count();
        }
        if (lease.kind == LeaseKind::focus) {
            focus = std::move(entry);
            return;
        }
        entry["name"] = lease.info.name;
        entry["source"] = lease.info.source;
        entry["confidence"] = lease.info.confidence;
        if (lease.info.app_id) entry["app_id"] = *lease.info.app_id;
        games.push_back(std::move(entry));
    });
    return {{"games", std::move(games)}, {"focus", std::move(focus)}};
}

Result<Json> Server::on_get_status(Connection& connection, const ipc::Message&) {
    Json server = describe_leases(connection);
    server["socket_activated"] = sockets_.from_systemd;
    server["you"] = {{"uid", connection.uid()}, {"may_control", connection.peer().may_control}};
    if (connection.channel() != ipc::Channel::control) return Json{{"server", std::move(server)}};
    server["connections"] = connections_.size();
    server["limits"] = {{"max_games_per_uid", config_.max_games_per_uid},
                        {"hints_per_second", config_.hints_per_second},
                        {"hint_burst", config_.hint_burst},
                        {"max_connections_per_uid", config_.max_connections_per_uid},
                        {"lease_grace_ms", config_.lease_grace.count()}};
    return Json{{"server", std::move(server)}, {"scheduler", scheduler_->status()}};
}

}  // namespace gamesched::server
