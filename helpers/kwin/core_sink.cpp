#include "helpers/kwin/core_sink.h"

#include "util/log.h"

namespace gamesched::kwin {

Result<ipc::Reply> CoreSink::send(pid_t pid) {
    if (!client_) {
        auto client = ipc::Client::connect(socket_path_, ipc::Channel::hints);
        if (!client) return client.error();
        client_.emplace(std::move(client.value()));
    }
    auto reply = client_->request(ipc::FocusChanged{pid}, timeout_);
    if (!reply) client_.reset();  // broken or stale connection: start afresh next time
    return reply;
}

Status CoreSink::forward(const FocusReport& report) {
    auto reply = send(report.pid);
    // A connection that was open before may just have outlived a core restart: one fresh try.
    if (!reply) reply = send(report.pid);
    if (!reply) {
        if (!reported_unreachable_) {
            spdlog::warn("cannot reach gamesched-core at {} ({}); focus changes are dropped until it is back",
                         socket_path_, reply.error().message);
            reported_unreachable_ = true;
        }
        return Ok{};
    }
    if (reported_unreachable_) {
        spdlog::info("reached gamesched-core at {} again", socket_path_);
        reported_unreachable_ = false;
    }
    if (!reply->ok) {
        spdlog::warn("gamesched-core refused the focus hint for pid {}: {}", report.pid,
                     printable(reply->error));
    } else {
        spdlog::debug("gamesched-core accepted focus on pid {}", report.pid);
    }
    return Ok{};
}

}  // namespace gamesched::kwin
