// CoreSink against a fake core (a SOCK_SEQPACKET listener in a temp dir).
#include "helpers/kwin/core_sink.h"
#include "ipc/unix_socket.h"
#include "tests/unit/kwin/fake_core.h"
#include "tests/unit/kwin/private_bus.h"

#include <catch2/catch_test_macros.hpp>

#include <future>
#include <thread>

using gamesched::UniqueFd;
using gamesched::kwin::CoreSink;
using gamesched::testing::TempDir;
namespace ipc = gamesched::ipc;
using namespace std::chrono_literals;

TEST_CASE("focus changes become focus_changed hints on one kept connection", "[kwin][core]") {
    TempDir dir;
    const std::string path = dir.path() + "/hints.sock";
    auto listener = ipc::listen_seqpacket(path, 0600);
    REQUIRE(listener);
    auto server =
        std::async(std::launch::async, gamesched::testing::serve_focus_hints, listener->get(), 2, false, 10s);

    CoreSink sink(path);
    CHECK(sink.forward({111, "a"}));
    CHECK(sink.forward({222, "b"}));
    CHECK(server.get() == std::vector<int>{111, 222});
}

TEST_CASE("a refusal by the core is not fatal, and clears this user's focus with pid 0", "[kwin][core]") {
    TempDir dir;
    const std::string path = dir.path() + "/hints.sock";
    auto listener = ipc::listen_seqpacket(path, 0600);
    REQUIRE(listener);
    auto server =
        std::async(std::launch::async, gamesched::testing::serve_focus_hints, listener->get(), 2, true, 10s);

    CoreSink sink(path);
    CHECK(sink.forward({111, "a"}));
    CHECK(server.get() == std::vector<int>{111, 0});  // the refused pid, then pid 0 once
}

TEST_CASE("an absent core drops changes; a restarted core gets the next one", "[kwin][core]") {
    TempDir dir;
    const std::string path = dir.path() + "/hints.sock";
    // Reconnect attempts are paced (ipc::Backoff); a short first wait keeps the test quick.
    const gamesched::ipc::Backoff::Policy backoff{20ms, 40ms};
    CoreSink sink(path, 1s, backoff);
    CHECK(sink.forward({111, "a"}));  // nobody listening: dropped, not an error
    CHECK(sink.forward({112, "a"}));  // within the backoff: dropped without a connect attempt
    std::this_thread::sleep_for(backoff.max);

    {
        auto listener = ipc::listen_seqpacket(path, 0600);
        REQUIRE(listener);
        auto server = std::async(std::launch::async, gamesched::testing::serve_focus_hints, listener->get(),
                                 1, false, 10s);
        CHECK(sink.forward({222, "b"}));
        CHECK(server.get() == std::vector<int>{222});
    }  // the core goes away: listener and its connection are closed

    auto listener = ipc::listen_seqpacket(path, 0600);
    REQUIRE(listener);
    auto server =
        std::async(std::launch::async, gamesched::testing::serve_focus_hints, listener->get(), 1, false, 10s);
    CHECK(sink.forward({333, "c"}));  // the old connection is dead: reconnects once
    CHECK(server.get() == std::vector<int>{333});
}

TEST_CASE("the compositor is named as a desktop process, and named again on a new connection",
          "[kwin][core]") {
    TempDir dir;
    const std::string path = dir.path() + "/hints.sock";
    const gamesched::ipc::Backoff::Policy backoff{20ms, 40ms};
    CoreSink sink(path, 1s, backoff);
    {
        auto listener = ipc::listen_seqpacket(path, 0600);
        REQUIRE(listener);
        auto server =
            std::async(std::launch::async, gamesched::testing::serve_hints, listener->get(), 2, false, 10s);
        CHECK(sink.compositor(77));
        CHECK(sink.forward({111, "a"}));
        CHECK(server.get() == std::vector<std::string>{"compositor 77", "focus 111"});
    }  // the core goes away

    // The restarted core knows nothing: the first connection names the compositor before the hint.
    auto listener = ipc::listen_seqpacket(path, 0600);
    REQUIRE(listener);
    auto server =
        std::async(std::launch::async, gamesched::testing::serve_hints, listener->get(), 2, false, 10s);
    CHECK(sink.forward({222, "b"}));
    CHECK(server.get() == std::vector<std::string>{"compositor 77", "focus 222"});
}

TEST_CASE("a refused compositor does not stop focus hints", "[kwin][core]") {
    TempDir dir;
    const std::string path = dir.path() + "/hints.sock";
    auto listener = ipc::listen_seqpacket(path, 0600);
    REQUIRE(listener);
    auto server =
        std::async(std::launch::async, gamesched::testing::serve_hints, listener->get(), 3, true, 10s);
    CoreSink sink(path);
    CHECK(sink.compositor(77));
    CHECK(sink.forward({111, "a"}));
    CHECK(server.get() == std::vector<std::string>{"compositor 77", "focus 111", "focus 0"});
}
