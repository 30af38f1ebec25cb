#include "ipc/mlcollect_client.h"

#include "ipc/unix_socket.h"

#include <poll.h>

namespace gamesched::ipc {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxRecordBytes = 1 << 20;

CallError failed(CallFailure kind, int code, std::string message) {
    return {kind, Error{code, std::move(message)}};
}

CallResult<Received> next_record(int fd, std::chrono::milliseconds reply_wait) {
    auto ready = wait_fd(fd, POLLIN, reply_wait);
    if (!ready) return CallError{CallFailure::transport, ready.error()};
    if (!*ready) {
        return failed(
            CallFailure::transport, ETIMEDOUT,
            "gamesched-mlcollect did not answer within " + std::to_string(reply_wait.count()) + " ms");
    }
    auto record = recv_record(fd, kMaxRecordBytes);
    if (!record) return CallError{CallFailure::transport, record.error()};
    return std::move(*record);
}

}  // namespace

CallResult<Ok> mlcollect_request(const std::string& socket_path, const json& request, const BodySink& body,
                                 std::chrono::milliseconds reply_wait) {
    auto fd = connect_seqpacket(socket_path);
    if (!fd) {
        const int code = fd.error().code;
        if (code == EACCES || code == EPERM)
            return failed(CallFailure::unreachable, code,
                          "not allowed to use " + socket_path + ": root or group gamesched only");
        return failed(CallFailure::unreachable, code,
                      "cannot reach gamesched-mlcollect at " + socket_path + " (" + fd.error().message +
                          "); start it: systemctl enable --now gamesched-mlcollect.socket");
    }
    if (auto sent = send_record(fd->get(), request.dump()); !sent || *sent != IoStatus::done)
        return failed(CallFailure::transport, EIO, "could not send the request to gamesched-mlcollect");
    for (;;) {
        auto record = next_record(fd->get(), reply_wait);
        if (!record) return record.error();
        if (record->status == IoStatus::closed) {
            return failed(CallFailure::transport, EIO,
                          "gamesched-mlcollect closed the connection before its answer was complete");
        }
        const json r = json::parse(record->bytes, nullptr, false);
        if (!r.is_object())
            return failed(CallFailure::protocol, EPROTO,
                          "gamesched-mlcollect sent something that is not JSON");
        if (auto data = r.find("data"); data != r.end() && data->is_string()) {
            body(data->get_ref<const std::string&>());
            continue;
        }
        if (r.value("ok", false)) return Ok{};
        const int code =
            r.contains("errno") && r["errno"].is_number_integer() ? r["errno"].get<int>() : EINVAL;
        return failed(CallFailure::refused, code,
                      "gamesched-mlcollect: " + r.value("error", std::string("the request failed")));
    }
}

CallResult<std::string> mlcollect_request(const std::string& socket_path, const json& request,
                                          std::chrono::milliseconds reply_wait) {
    std::string whole;
    auto done = mlcollect_request(
        socket_path, request, [&whole](std::string_view piece) { whole += piece; }, reply_wait);
    if (!done) return done.error();
    return whole;
}

}  // namespace gamesched::ipc
