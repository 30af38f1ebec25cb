#include "helpers/detect/ipc_core_link.h"

#include <unistd.h>

#include "ipc/codec.h"
#include "ipc/utf8.h"
#include "util/log.h"

namespace gamesched::detect {
namespace {

constexpr ipc::Client::Timeout kCallTimeout{2000};

}  // namespace

std::string IpcCoreLink::wire_name(const std::string& name, pid_t pid) {
    std::string text = ipc::sanitize_text(name);
    if (text.size() > ipc::kMaxNameBytes) {
        std::size_t cut = ipc::kMaxNameBytes;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        text.resize(cut);
    }
    return text.empty() ? "pid " + std::to_string(pid) : text;
}

Status IpcCoreLink::connect() {
    auto client = ipc::Client::connect(socket_path_, ipc::Channel::hints);
    if (!client) return client.error().context("connecting to " + socket_path_);
    ipc::Subscribe subscribe;
    subscribe.process_events = true;
    if (auto reply = client->call(subscribe, kCallTimeout); !reply) {
        return reply.error().context("subscribing to process events");
    }
    if (auto reply = client->call(ipc::Renew{}, kCallTimeout); !reply) {
        return reply.error().context("renewing leases");
    }
    client_ = std::move(*client);
    return Ok{};
}

Status IpcCoreLink::take_events(std::vector<ProcessNotice>& out) {
    if (!client_) return Error{ENOTCONN, "not connected"};
    for (;;) {
        auto push = client_->next_push(ipc::Client::Timeout{0});
        if (!push) {
            if (push.error().code == ETIMEDOUT) return Ok{};  // nothing more right now
            client_.reset();
            return push.error();
        }
        const auto* event = std::get_if<ipc::ProcessEvent>(&*push);
        // The core forwards only our own processes; the uid check keeps that an invariant here.
        if (event == nullptr || event->uid != ::getuid()) continue;
        out.push_back({event->kind == ipc::ProcessEventKind::exec ? ProcessNotice::Kind::exec
                                                                  : ProcessNotice::Kind::exit,
                       event->pid});
    }
}

Status IpcCoreLink::renew() {
    if (!client_) return Error{ENOTCONN, "not connected"};
    auto reply = client_->call(ipc::Renew{}, kCallTimeout);
    if (!reply && reply.error().code != 0) client_.reset();
    if (!reply) return reply.error();
    return Ok{};
}

void IpcCoreLink::send_hint(const ipc::Message& message, const std::string& what) {
    if (!client_) {
        spdlog::debug("{}: not connected, sent again after reconnecting", what);
        return;
    }
    auto reply = client_->call(message, kCallTimeout);
    if (reply) return;
    if (reply.error().code == 0) {  // the core answered ok:false; its words say why
        spdlog::warn("gamesched-core refused {}: {}", what, printable(reply.error().message));
        return;
    }
    spdlog::warn("{}: {}; reconnecting", what, reply.error().message);
    client_.reset();
}

void IpcCoreLink::game_started(const GameReport& game) {
    ipc::GameStarted message;
    message.pid = game.pid;
    if (game.steam_app_id) message.app_id = std::to_string(*game.steam_app_id);
    message.name = wire_name(game.name, game.pid);
    message.source = game.rule;
    message.confidence = game.confidence;
    send_hint(message, "game_started for pid " + std::to_string(game.pid));
}

void IpcCoreLink::game_exited(pid_t pid) {
    send_hint(ipc::GameExited{pid}, "game_exited for pid " + std::to_string(pid));
}

}  // namespace gamesched::detect
