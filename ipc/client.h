// One blocking connection to the core's sockets: request → reply with a timeout, and pushed
// messages (subscriptions) kept in arrival order. Helpers and the CLI use CoreClient
// (ipc/core_client.h), its typed face with one reconnect policy; this layer is for it and for
// tests that speak the wire format directly.
#pragma once

#include "ipc/call_error.h"
#include "ipc/codec.h"
#include "ipc/messages.h"
#include "ipc/unix_socket.h"
#include "util/result.h"
#include "util/unique_fd.h"

#include <chrono>
#include <deque>
#include <string>

namespace gamesched::ipc {

class Client {
public:
    using Timeout = std::chrono::milliseconds;

    static Result<Client> connect(const std::string& socket_path, Channel channel);

    // Sends one request and waits for the reply carrying its id. Pushes that arrive meanwhile are
    // kept for next_push(). A reply without id is the core refusing the connection itself.
    Result<Reply> request(const Message& message, Timeout timeout);

    // Like request(), but an ok:false reply is a CallError of kind refused carrying the core's
    // explanation, told apart from transport failures.
    CallResult<nlohmann::json> call(const Message& message, Timeout timeout);

    // The next pushed message; Error ETIMEDOUT when none arrived in time.
    Result<Message> next_push(Timeout timeout);

    // Raw access for tests and tools: send bytes as one record / receive one decoded record.
    Result<IoStatus> send_raw(std::string_view record, Timeout timeout);
    Result<ServerRecord> receive(Timeout timeout);

    [[nodiscard]] int fd() const { return fd_.get(); }
    [[nodiscard]] Channel channel() const { return channel_; }

private:
    Client(UniqueFd fd, Channel channel) : fd_(std::move(fd)), channel_(channel) {}

    // Pushes a client has not fetched yet; beyond this the oldest are dropped, like the core
    // drops subscribers that do not read.
    static constexpr std::size_t kMaxQueuedPushes = 1024;

    UniqueFd fd_;
    Channel channel_;
    std::uint64_t next_id_ = 1;
    std::deque<Message> pushes_;
};

}  // namespace gamesched::ipc
