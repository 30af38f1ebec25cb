#include "tests/unit/kwin/fake_core.h"
#include "tests/unit/ipc/fake_replies.h"

#include "ipc/codec.h"
#include "ipc/unix_socket.h"

#include <poll.h>

namespace gamesched::testing {

std::vector<int> serve_focus_hints(int listen_fd, int count, bool refuse, std::chrono::milliseconds timeout) {
    std::vector<int> pids;
    auto ready = ipc::wait_fd(listen_fd, POLLIN, timeout);
    if (!ready || !*ready) return pids;
    auto conn = ipc::accept_seqpacket(listen_fd);
    if (!conn) return pids;
    for (int i = 0; i < count; ++i) {
        auto readable = ipc::wait_fd(conn->get(), POLLIN, timeout);
        if (!readable || !*readable) break;
        auto received = ipc::recv_record(conn->get(), ipc::kHintsMaxRecord);
        if (!received || received->status != ipc::IoStatus::done) break;
        auto request = ipc::decode_request(received->bytes, ipc::Channel::hints);
        if (!request) break;
        const auto* focus = std::get_if<ipc::FocusChanged>(&request->message);
        pids.push_back(focus != nullptr ? focus->pid : -1);
        const auto reply = refuse ? ipc::error_reply(request->id, "pid belongs to another user")
                                  : gamesched::testing::fake_ok_reply(*request);
        if (!ipc::send_record(conn->get(), ipc::encode_reply(reply))) break;
    }
    return pids;
}

}  // namespace gamesched::testing
