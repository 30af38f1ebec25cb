#include "helpers/detect/ipc_core_link.h"

#include <unistd.h>

#include "ipc/codec.h"
#include "ipc/utf8.h"
#include "util/log.h"

namespace gamesched::detect {
namespace {

// The service loop schedules reconnects itself; the client must not add a wait of its own.
constexpr ipc::Backoff::Policy kPacedByService{std::chrono::milliseconds{0}, std::chrono::milliseconds{0}};

}  // namespace

IpcCoreLink::IpcCoreLink(std::string socket_path)
    : client_({.socket_path = std::move(socket_path),
               .channel = ipc::Channel::hints,
               .timeout = std::chrono::milliseconds{2000},
               .backoff = kPacedByService}) {
    // Every new connection: process events first, then adopt what an earlier one left.
    client_.on_connect([this](ipc::CoreClient& core) -> ipc::CallResult<Ok> {
        if (!connecting_) silent_reconnect_ = true;
        if (auto subscribed = core.subscribe({.process_events = true}); !subscribed) {
            return subscribed.error().context("subscribing to process events");
        }
        if (auto renewed = core.renew(); !renewed) return renewed.error().context("renewing leases");
        return Ok{};
    });
}

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
    connecting_ = true;
    auto connected = client_.connect();
    connecting_ = false;
    if (!connected) return connected.error().error;
    return Ok{};
}

Status IpcCoreLink::take_events(std::vector<ProcessNotice>& out) {
    if (!client_.connected()) return Error{ENOTCONN, "not connected"};
    for (;;) {
        auto push = client_.next_push(ipc::CoreClient::Timeout{0});
        if (!push) {
            if (client_.connected()) return Ok{};  // nothing more right now
            return push.error().error;
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
    if (!client_.connected()) return Error{ENOTCONN, "not connected"};
    if (auto renewed = client_.renew(); !renewed) return renewed.error().error;
    return Ok{};
}

template <typename R>
void IpcCoreLink::report(const ipc::CallResult<R>& result, const std::string& what) {
    if (result) return;
    if (result.error().refused()) {  // the core's words say why
        spdlog::warn("gamesched-core refused {}: {}", what, printable(result.error().message()));
    } else {
        spdlog::warn("{}: {}; reconnecting", what, result.error().message());
    }
}

void IpcCoreLink::game_started(const GameReport& game) {
    const std::string what = "game_started for pid " + std::to_string(game.pid);
    if (!client_.connected()) {
        spdlog::debug("{}: not connected, sent again after reconnecting", what);
        return;
    }
    ipc::GameStarted message;
    message.pid = game.pid;
    if (game.steam_app_id) message.app_id = std::to_string(*game.steam_app_id);
    message.name = wire_name(game.name, game.pid);
    message.source = game.rule;
    message.confidence = game.confidence;
    report(client_.game_started(message), what);
}

void IpcCoreLink::game_exited(pid_t pid) {
    const std::string what = "game_exited for pid " + std::to_string(pid);
    if (!client_.connected()) {
        spdlog::debug("{}: not connected, sent again after reconnecting", what);
        return;
    }
    report(client_.game_exited(pid), what);
}

void IpcCoreLink::audio_server(pid_t pid) {
    const std::string what = "desktop_process (audio server) for pid " + std::to_string(pid);
    if (!client_.connected()) {
        spdlog::debug("{}: not connected, sent again after reconnecting (the scan finds it)", what);
        return;
    }
    auto held = client_.desktop_process(pid, ipc::DesktopRole::audio);
    if (held)
        spdlog::info("gamesched-core treats pid {} as the audio server while a game has the focus", pid);
    report(held, what);
}

}  // namespace gamesched::detect
