#include "ipc/core_client.h"

namespace gamesched::ipc {

CoreClient::CoreClient(Options options) : options_(std::move(options)), backoff_(options_.backoff) {}

CallResult<Ok> CoreClient::connect() {
    if (client_) return Ok{};
    const auto now = Backoff::Clock::now();
    if (!backoff_.ready(now)) {
        const auto wait = std::chrono::ceil<std::chrono::milliseconds>(backoff_.next_attempt() - now);
        return CallError{
            CallFailure::unreachable,
            Error{ENOTCONN, "gamesched-core at " + options_.socket_path +
                                " was unreachable; next attempt in " + std::to_string(wait.count()) + " ms"}};
    }
    auto client = Client::connect(options_.socket_path, options_.channel);
    if (!client) {
        backoff_.failed(now);
        return CallError{CallFailure::unreachable,
                         client.error().context("connecting to " + options_.socket_path)};
    }
    client_.emplace(std::move(*client));
    if (on_connect_) {
        in_hook_ = true;
        auto hooked = on_connect_(*this);
        in_hook_ = false;
        if (!hooked) {
            client_.reset();
            backoff_.failed(now);
            return hooked.error();
        }
    }
    backoff_.reset();
    return Ok{};
}

CallResult<nlohmann::json> CoreClient::send_once(const Message& message) {
    if (in_hook_ && !client_) {  // the hook's own request broke the new connection
        return CallError{CallFailure::transport, Error{ECONNRESET, "the core closed the new connection"}};
    }
    if (auto connected = connect(); !connected) return connected.error();
    auto body = client_->call(message, options_.timeout);
    // A refusal leaves the connection as good as it was; anything else leaves it unusable.
    if (!body && !body.error().refused()) client_.reset();
    return body;
}

CallResult<nlohmann::json> CoreClient::call_body(const Message& message) {
    const bool was_connected = client_.has_value();
    auto body = send_once(message);
    // A connection that worked may have outlived a core restart: one fresh connection, one
    // resend. Not after a timeout: the core may have acted on the request.
    if (!body && was_connected && !in_hook_ && body.error().kind == CallFailure::transport &&
        body.error().error.code != ETIMEDOUT) {
        backoff_.reset();
        body = send_once(message);
    }
    return body;
}

CallResult<Message> CoreClient::next_push(Timeout timeout) {
    if (!client_)
        return CallError{CallFailure::unreachable, Error{ENOTCONN, "not connected to gamesched-core"}};
    auto push = client_->next_push(timeout);
    if (push) return std::move(*push);
    if (push.error().code != ETIMEDOUT) client_.reset();
    return CallError{CallFailure::transport, push.error()};
}

CallResult<GameHeld> CoreClient::game_started(const GameStarted& hint) {
    return call(hint);
}
CallResult<GameReleased> CoreClient::game_exited(Pid pid) {
    return call(GameExited{pid});
}
CallResult<FocusUpdated> CoreClient::focus_changed(Pid pid) {
    return call(FocusChanged{pid});
}
CallResult<GameHeld> CoreClient::register_game(Pid pid, OnBehalfOf on_behalf_of) {
    return call(RegisterGame{pid, on_behalf_of});
}
CallResult<GameReleased> CoreClient::unregister_game(Pid pid, OnBehalfOf on_behalf_of) {
    return call(UnregisterGame{pid, on_behalf_of});
}
CallResult<Renewed> CoreClient::renew() {
    return call(Renew{});
}
CallResult<DesktopHeld> CoreClient::desktop_process(Pid pid, DesktopRole role) {
    return call(DesktopProcess{pid, role});
}
CallResult<Done> CoreClient::set_tunables(const Tunables& tunables, OnBehalfOf on_behalf_of) {
    return call(SetTunables{tunables, on_behalf_of});
}
CallResult<ModeSet> CoreClient::set_mode(Mode mode, OnBehalfOf on_behalf_of) {
    return call(SetMode{mode, on_behalf_of});
}
CallResult<CoreStatus> CoreClient::get_status() {
    return call(GetStatus{});
}
CallResult<Subscribed> CoreClient::subscribe(const Subscribe& topics) {
    return call(topics);
}
CallResult<Done> CoreClient::stop(OnBehalfOf on_behalf_of) {
    return call(Stop{on_behalf_of});
}

}  // namespace gamesched::ipc
