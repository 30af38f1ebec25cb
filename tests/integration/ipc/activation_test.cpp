// The socket layer started the way systemd starts it, and by hand.
#include "tests/integration/ipc/harness.h"

#include <catch2/catch_test_macros.hpp>

#include <grp.h>
#include <sys/stat.h>

using namespace gamesched;
using namespace gamesched::test;

TEST_CASE("systemd-socket-activate hands both named sockets to the daemon") {
    TestDaemon daemon;
    // The first connection makes systemd-socket-activate start the daemon with the fds.
    auto control = daemon.connect(ipc::Channel::control);
    auto status = control.call(ipc::GetStatus{}, kReplyTimeout);
    REQUIRE(status.ok());
    CHECK(status->at("server").at("socket_activated") == true);
    CHECK(status->at("server").at("you").at("uid") == 0);
    CHECK(status->at("scheduler").at("mode") == "auto");

    auto hints = daemon.connect(ipc::Channel::hints);
    auto reply = hints.request(ipc::GetStatus{}, kReplyTimeout);
    REQUIRE(reply.ok());
    CHECK(reply->ok);
    CHECK(reply->id == 1u);
    CHECK(reply->body.at("server").at("socket_activated") == true);
    CHECK_FALSE(reply->body.contains("scheduler"));  // scheduler internals are for control.sock
}

TEST_CASE("started by hand, the daemon creates its sockets with the right modes") {
    TestDaemon daemon({.socket_activation = false, .args = {}});
    struct stat hints {
    }, control{};
    REQUIRE(stat(daemon.hints_path().c_str(), &hints) == 0);
    REQUIRE(stat(daemon.control_path().c_str(), &control) == 0);
    CHECK(S_ISSOCK(hints.st_mode));
    CHECK((hints.st_mode & 07777) == 0666);
    if (getgrnam("gamesched") != nullptr) {
        CHECK((control.st_mode & 07777) == 0660);
        CHECK(control.st_gid == getgrnam("gamesched")->gr_gid);
    } else {
        CHECK((control.st_mode & 07777) == 0600);
    }
    CHECK(control.st_uid == 0);
    auto status = daemon.status();
    CHECK(status.at("server").at("socket_activated") == false);
}

TEST_CASE("control commands reach the scheduler") {
    TestDaemon daemon;
    auto control = daemon.connect(ipc::Channel::control);
    ipc::Tunables tunables;
    tunables.slice_us = 4000;
    tunables.game_boost_pct = 40;
    REQUIRE(control.call(ipc::SetTunables{.tunables = tunables}, kReplyTimeout).ok());
    auto mode = control.call(ipc::SetMode{.mode = ipc::Mode::gaming}, kReplyTimeout);
    REQUIRE(mode.ok());
    CHECK(mode->at("mode") == "gaming");
    const auto scheduler = daemon.status().at("scheduler");
    CHECK(scheduler.at("mode") == "gaming");
    CHECK(scheduler.at("tunables") == nlohmann::json{{"slice_us", 4000}, {"game_boost_pct", 40}});
}
