// The typed client of gamesched-core: one method per request, each returning that request's
// reply type (ipc/replies.h) or a CallError that says whether the core refused (its words) or
// could not be reached. One reconnect policy for every user (ctl, detect, kwin, the D-Bus
// bridge): connect on demand, paced by ipc::Backoff; a connection that worked and then broke
// (a core restart) is replaced at once and the request is sent again, once.
#pragma once

#include "ipc/backoff.h"
#include "ipc/call_error.h"
#include "ipc/client.h"
#include "ipc/messages.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace gamesched::ipc {

class CoreClient {
public:
    using Timeout = std::chrono::milliseconds;

    struct Options {
        std::string socket_path;
        Channel channel = Channel::hints;
        Timeout timeout{2000};  // per request
        Backoff::Policy backoff{};
    };

    explicit CoreClient(Options options);

    // Runs after every successful connect, before the request that caused it (subscribe, renew).
    // If it fails the connection is dropped and the attempt counts as failed.
    using ConnectHook = std::function<CallResult<Ok>(CoreClient&)>;
    void on_connect(ConnectHook hook) { on_connect_ = std::move(hook); }

    // --- one method per request (docs/protocol.md) ---
    CallResult<GameHeld> game_started(const GameStarted& hint);
    CallResult<GameReleased> game_exited(Pid pid);
    CallResult<FocusUpdated> focus_changed(Pid pid);
    CallResult<GameHeld> register_game(Pid pid, OnBehalfOf on_behalf_of = {});
    CallResult<GameReleased> unregister_game(Pid pid, OnBehalfOf on_behalf_of = {});
    CallResult<Renewed> renew();
    CallResult<DesktopHeld> desktop_process(Pid pid, DesktopRole role);
    CallResult<Done> set_tunables(const Tunables& tunables, OnBehalfOf on_behalf_of = {});
    CallResult<ModeSet> set_mode(Mode mode, OnBehalfOf on_behalf_of = {});
    CallResult<CoreStatus> get_status();
    CallResult<Subscribed> subscribe(const Subscribe& topics);
    CallResult<Done> stop(OnBehalfOf on_behalf_of = {});

    // The next message pushed by the core (after subscribe). A transport error with code
    // ETIMEDOUT means none arrived in time; the connection is kept.
    CallResult<Message> next_push(Timeout timeout);

    // Connects now unless connected, honouring the backoff.
    CallResult<Ok> connect();
    void disconnect() { client_.reset(); }
    [[nodiscard]] bool connected() const { return client_.has_value(); }
    [[nodiscard]] int fd() const { return client_ ? client_->fd() : -1; }
    [[nodiscard]] Backoff::Clock::time_point next_attempt() const { return backoff_.next_attempt(); }
    [[nodiscard]] const std::string& socket_path() const { return options_.socket_path; }

    // The generic form behind the methods above.
    template <typename M>
    CallResult<typename M::Reply> call(const M& message) {
        auto body = call_body(Message{message});
        if (!body) return body.error();
        typename M::Reply reply;
        if (auto read = read_reply_body(*body, reply); !read) {
            client_.reset();
            return CallError{CallFailure::protocol, read.error().context("the core's reply")};
        }
        return reply;
    }

private:
    CallResult<nlohmann::json> call_body(const Message& message);
    CallResult<nlohmann::json> send_once(const Message& message);

    Options options_;
    Backoff backoff_;
    ConnectHook on_connect_;
    bool in_hook_ = false;  // the hook's requests never reconnect or resend
    std::optional<Client> client_;
};

}  // namespace gamesched::ipc
