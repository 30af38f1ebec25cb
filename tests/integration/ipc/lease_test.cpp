// Hints are leases: they end when the process exits, or after the grace period once their sender
// disconnected, unless a new connection of the same uid renews them.
#include "tests/integration/ipc/harness.h"

#include <catch2/catch_test_macros.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <optional>

using namespace gamesched;
using namespace gamesched::test;

namespace {

ipc::GameStarted game(pid_t pid) {
    return {pid, "570", "Lease Game", "proton", 80};
}

bool removed(const nlohmann::json& status, pid_t pid) {
    for (const auto& call : status.at("scheduler").at("calls")) {
        if (call["call"] == "remove_game" && call["pid"] == pid) return true;
    }
    return false;
}

std::optional<nlohmann::json> server_game(const nlohmann::json& status, pid_t pid) {
    for (const auto& game : status.at("server").at("games")) {
        if (game.at("pid") == pid) return game;
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("a game lease ends when the process exits") {
    TestDaemon daemon;
    Sleeper target;
    auto hints = daemon.connect(ipc::Channel::hints);
    REQUIRE(hints.call(game(target.pid()), kReplyTimeout).ok());
    REQUIRE(scheduler_has_game(daemon.status(), target.pid()));
    const pid_t pid = target.pid();
    target.kill_and_reap();
    CHECK(eventually([&] { return removed(daemon.status(), pid); }));
    CHECK_FALSE(server_game(daemon.status(), pid).has_value());
}

TEST_CASE("a user's lease ends when its process exits") {
    TestDaemon daemon;
    AsUser nobody(kNobody, [&](const Handshake& parent) {
        auto client = ipc::Client::connect(daemon.hints_path(), ipc::Channel::hints);
        if (!client) return nlohmann::json{{"setup_error", client.error().message}};
        const pid_t own = fork();
        if (own == 0) {
            pause();
            _exit(0);
        }
        auto reply = client->call(game(own), kReplyTimeout);
        parent.notify();  // the parent checks the scheduler now
        parent.wait();
        kill(own, SIGKILL);
        waitpid(own, nullptr, 0);
        return nlohmann::json{{"pid", own}, {"accepted", reply.ok()}};
    });
    nobody.handshake().wait();
    const auto during = daemon.status();
    nobody.handshake().notify();
    auto out = nobody.join();
    REQUIRE(out["accepted"] == true);
    const pid_t pid = out["pid"];
    CHECK(scheduler_has_game(during, pid));
    CHECK(eventually([&] { return removed(daemon.status(), pid); }));
}

TEST_CASE("a focus lease ends when the process exits") {
    TestDaemon daemon;
    Sleeper target;
    auto hints = daemon.connect(ipc::Channel::hints);
    REQUIRE(hints.call(ipc::FocusChanged{target.pid()}, kReplyTimeout).ok());
    CHECK(daemon.status().at("scheduler").at("focus") == target.pid());
    target.kill_and_reap();  // focus must return to 0
    CHECK(eventually([&] { return daemon.status().at("scheduler").at("focus") == 0; }));
}

TEST_CASE("a lease survives its sender's disconnect for the grace period and can be renewed") {
    TestDaemon daemon({.socket_activation = true, .args = {"--lease-grace-ms=60000"}});
    Sleeper target;
    {
        auto hints = daemon.connect(ipc::Channel::hints);
        REQUIRE(hints.call(game(target.pid()), kReplyTimeout).ok());
    }
    // The sender is gone: the lease waits, still applied.
    REQUIRE(eventually([&] {
        const auto lease = server_game(daemon.status(), target.pid());
        return lease && lease->at("held") == false;
    }));
    const auto waiting = daemon.status();
    CHECK(scheduler_has_game(waiting, target.pid()));
    CHECK(server_game(waiting, target.pid())->at("expires_in_ms").get<long>() > 0);

    auto renewer = daemon.connect(ipc::Channel::hints);
    auto renewed = renewer.call(ipc::Renew{}, kReplyTimeout);
    REQUIRE(renewed.ok());
    CHECK(renewed->at("renewed") == 1);
    CHECK(server_game(daemon.status(), target.pid())->at("held") == true);
}

TEST_CASE("an unrenewed lease ends after the grace period") {
    TestDaemon daemon({.socket_activation = true, .args = {"--lease-grace-ms=200"}});
    Sleeper target;
    {
        auto hints = daemon.connect(ipc::Channel::hints);
        REQUIRE(hints.call(game(target.pid()), kReplyTimeout).ok());
    }
    CHECK(eventually([&] { return removed(daemon.status(), target.pid()); }));
    CHECK_FALSE(server_game(daemon.status(), target.pid()).has_value());
}

TEST_CASE("another uid cannot renew or withdraw a user's lease") {
    TestDaemon daemon({.socket_activation = true, .args = {"--lease-grace-ms=60000"}});
    Sleeper target;  // root's
    {
        auto hints = daemon.connect(ipc::Channel::hints);
        REQUIRE(hints.call(game(target.pid()), kReplyTimeout).ok());
    }
    AsUser nobody(kNobody, [&](const Handshake&) {
        auto client = ipc::Client::connect(daemon.hints_path(), ipc::Channel::hints);
        if (!client) return nlohmann::json{{"setup_error", client.error().message}};
        auto renewed = client->call(ipc::Renew{}, kReplyTimeout);
        auto withdrawn = client->request(ipc::GameExited{target.pid()}, kReplyTimeout);
        return nlohmann::json{{"renewed", renewed.ok() ? renewed->at("renewed") : nlohmann::json(-1)},
                              {"withdrawn", withdrawn.ok() ? withdrawn->body : nlohmann::json(nullptr)}};
    });
    auto out = nobody.join();
    CHECK(out["renewed"] == 0);
    // Answered as if there were no lease: nothing about root's games is told, nothing is removed.
    CHECK(out["withdrawn"] == nlohmann::json{{"removed", false}});
    CHECK(scheduler_has_game(daemon.status(), target.pid()));

    auto owner = daemon.connect(ipc::Channel::hints);
    auto withdrawn = owner.call(ipc::GameExited{target.pid()}, kReplyTimeout);
    REQUIRE(withdrawn.ok());
    CHECK(withdrawn->at("removed") == true);
    CHECK_FALSE(scheduler_has_game(daemon.status(), target.pid()));
}
