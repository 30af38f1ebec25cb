// CoreSink against a fake core: a SOCK_SEQPACKET listener in a temp dir that decodes requests
// with the protocol's own decoder and answers them.
#include "helpers/kwin/core_sink.h"
#include "ipc/codec.h"
#include "ipc/unix_socket.h"
#include "tests/unit/kwin/private_bus.h"

#include <catch2/catch_test_macros.hpp>

#include <poll.h>

#include <future>
#include <thread>

using gamesched::UniqueFd;
using gamesched::kwin::CoreSink;
using gamesched::testing::TempDir;
namespace ipc = gamesched::ipc;
using namespace std::chrono_literals;

namespace {

// Serves `count` requests on one accepted connection; answers each with ok, or with error when
// refuse is set. Returns the focus pids it received (-1 for anything that is not focus_changed).
std::vector<int> serve(int listen_fd, int count, bool refuse) {
    std::vector<int> pids;
    auto ready = ipc::wait_fd(listen_fd, POLLIN, 10s);
    if (!ready || !*ready) return pids;
    auto conn = ipc::accept_seqpacket(listen_fd);
    if (!conn) return pids;
    for (int i = 0; i < count; ++i) {
        auto readable = ipc::wait_fd(conn->get(), POLLIN, 10s);
        if (!readable || !*readable) break;
        auto received = ipc::recv_record(conn->get(), ipc::kHintsMaxRecord);
        if (!received || received->status != ipc::IoStatus::done) break;
        auto request = ipc::decode_request(received->bytes, ipc::Channel::hints);
        if (!request) break;
        const auto* focus = std::get_if<ipc::FocusChanged>(&request->message);
        pids.push_back(focus != nullptr ? focus->pid : -1);
        const auto reply = refuse ? ipc::error_reply(request->id, "pid belongs to another user")
                                  : ipc::ok_reply(request->id);
        if (!ipc::send_record(conn->get(), ipc::encode_reply(reply))) break;
    }
    return pids;
}

}  // namespace

TEST_CASE("focus changes become focus_changed hints on one kept connection", "[kwin][core]") {
    TempDir dir;
    const std::string path = dir.path() + "/hints.sock";
    auto listener = ipc::listen_seqpacket(path, 0600);
    REQUIRE(listener);
    auto server = std::async(std::launch::async, serve, listener->get(), 2, false);

    CoreSink sink(path);
    CHECK(sink.forward({111, "a"}));
    CHECK(sink.forward({222, "b"}));
    CHECK(server.get() == std::vector<int>{111, 222});
}

TEST_CASE("a refusal by the core is not fatal", "[kwin][core]") {
    TempDir dir;
    const std::string path = dir.path() + "/hints.sock";
    auto listener = ipc::listen_seqpacket(path, 0600);
    REQUIRE(listener);
    auto server = std::async(std::launch::async, serve, listener->get(), 1, true);

    CoreSink sink(path);
    CHECK(sink.forward({111, "a"}));
    CHECK(server.get() == std::vector<int>{111});
}

TEST_CASE("an absent core drops changes; a restarted core gets the next one", "[kwin][core]") {
    TempDir dir;
    const std::string path = dir.path() + "/hints.sock";
    CoreSink sink(path, 1s);
    CHECK(sink.forward({111, "a"}));  // nobody listening: dropped, not an error

    {
        auto listener = ipc::listen_seqpacket(path, 0600);
        REQUIRE(listener);
        auto server = std::async(std::launch::async, serve, listener->get(), 1, false);
        CHECK(sink.forward({222, "b"}));
        CHECK(server.get() == std::vector<int>{222});
    }  // the core goes away: listener and its connection are closed

    auto listener = ipc::listen_seqpacket(path, 0600);
    REQUIRE(listener);
    auto server = std::async(std::launch::async, serve, listener->get(), 1, false);
    CHECK(sink.forward({333, "c"}));  // the old connection is dead: reconnects once
    CHECK(server.get() == std::vector<int>{333});
}
