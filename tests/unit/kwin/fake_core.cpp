#include "tests/unit/kwin/fake_core.h"
#include "tests/unit/ipc/fake_replies.h"

#include "ipc/codec.h"
#include "ipc/unix_socket.h"

#include <poll.h>

namespace gamesched::testing {

std::vector<std::string> serve_hints(int listen_fd, int count, bool refuse,
                                     std::chrono::milliseconds timeout) {
    std::vector<std::string> seen;
    while (static_cast<int>(seen.size()) < count) {
        auto ready = ipc::wait_fd(listen_fd, POLLIN, timeout);
        if (!ready || !*ready) return seen;
        auto conn = ipc::accept_seqpacket(listen_fd);
        if (!conn) return seen;
        while (static_cast<int>(seen.size()) < count) {
            auto readable = ipc::wait_fd(conn->get(), POLLIN, timeout);
            if (!readable || !*readable) return seen;
            auto received = ipc::recv_record(conn->get(), ipc::kHintsMaxRecord);
            if (!received || received->status != ipc::IoStatus::done) break;  // hung up: next one
            auto request = ipc::decode_request(received->bytes, ipc::Channel::hints);
            if (!request) return seen;
            if (const auto* focus = std::get_if<ipc::FocusChanged>(&request->message)) {
                seen.push_back("focus " + std::to_string(focus->pid));
            } else if (const auto* desktop = std::get_if<ipc::DesktopProcess>(&request->message)) {
                seen.push_back(std::string(ipc::desktop_role_name(desktop->role)) + " " +
                               std::to_string(desktop->pid));
            } else {
                seen.emplace_back("other");
            }
            const auto reply = refuse ? ipc::error_reply(request->id, "pid belongs to another user")
                                      : gamesched::testing::fake_ok_reply(*request);
            if (!ipc::send_record(conn->get(), ipc::encode_reply(reply))) return seen;
        }
    }
    return seen;
}

std::vector<int> serve_focus_hints(int listen_fd, int count, bool refuse, std::chrono::milliseconds timeout) {
    std::vector<int> pids;
    for (const auto& request : serve_hints(listen_fd, count, refuse, timeout)) {
        pids.push_back(request.starts_with("focus ") ? std::stoi(request.substr(6)) : -1);
    }
    return pids;
}

}  // namespace gamesched::testing
