#include "ipc/client.h"

#include "ipc/unix_socket.h"

#include <poll.h>

namespace gamesched::ipc {
namespace {

using Clock = std::chrono::steady_clock;

Client::Timeout remaining(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<Client::Timeout>(deadline - Clock::now());
    return left.count() > 0 ? left : Client::Timeout{0};
}

}  // namespace

Result<Client> Client::connect(const std::string& socket_path, Channel channel) {
    auto fd = connect_seqpacket(socket_path);
    if (!fd) return fd.error();
    return Client(std::move(*fd), channel);
}

Result<IoStatus> Client::send_raw(std::string_view record, Timeout timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        auto sent = send_record(fd_.get(), record);
        if (!sent || *sent != IoStatus::would_block) return sent;
        auto writable = wait_fd(fd_.get(), POLLOUT, remaining(deadline));
        if (!writable) return writable.error();
        if (!*writable) return Error{ETIMEDOUT, "timed out sending to the core"};
    }
}

Result<ServerRecord> Client::receive(Timeout timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        auto received = recv_record(fd_.get(), max_record_size(channel_));
        if (!received) return received.error();
        if (received->status == IoStatus::closed) {
            return Error{ECONNRESET, "the core closed the connection"};
        }
        if (received->status == IoStatus::done) {
            auto record = decode_server_record(received->bytes, channel_);
            if (!record) return record.error().context("bad record from the core");
            return record;
        }
        auto readable = wait_fd(fd_.get(), POLLIN, remaining(deadline));
        if (!readable) return readable.error();
        if (!*readable) return Error{ETIMEDOUT, "timed out waiting for the core"};
    }
}

Result<Reply> Client::request(const Message& message, Timeout timeout) {
    const auto deadline = Clock::now() + timeout;
    const std::uint64_t id = next_id_++;
    auto sent = send_raw(encode_request(Request{id, message}), timeout);
    if (!sent) return sent.error();
    // Even when the send found the connection closed, the core may have left its reason (a reply
    // without id) in our receive queue; receive() reads it before reporting the close.
    for (;;) {
        auto record = receive(remaining(deadline));
        if (!record) return record.error();
        if (auto* reply = std::get_if<Reply>(&*record)) {
            if (!reply->id || *reply->id == id) return std::move(*reply);
            continue;  // a late reply to an earlier request that timed out
        }
        if (pushes_.size() == kMaxQueuedPushes) pushes_.pop_front();
        pushes_.push_back(std::get<Message>(std::move(*record)));
    }
}

CallResult<nlohmann::json> Client::call(const Message& message, Timeout timeout) {
    auto reply = request(message, timeout);
    if (!reply) {
        const bool malformed = reply.error().code == EINVAL || reply.error().code == EMSGSIZE;
        return CallError{malformed ? CallFailure::protocol : CallFailure::transport, reply.error()};
    }
    if (!reply->ok) return CallError{CallFailure::refused, Error{reply->code, reply->error}};
    return std::move(reply->body);
}

Result<Message> Client::next_push(Timeout timeout) {
    const auto deadline = Clock::now() + timeout;
    while (pushes_.empty()) {
        auto record = receive(remaining(deadline));
        if (!record) return record.error();
        if (auto* push = std::get_if<Message>(&*record)) return std::move(*push);
        // A reply nobody waits for (its request timed out) is dropped.
    }
    Message next = std::move(pushes_.front());
    pushes_.pop_front();
    return next;
}

}  // namespace gamesched::ipc
