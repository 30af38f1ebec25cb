// The D-Bus bridge forwards requests for its callers with on_behalf_of: the core checks ownership
// against the caller, never against the bridge, and lets nobody else speak for others.
#include "tests/integration/ipc/harness.h"

#include "ipc/core_client.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

using namespace gamesched;
using namespace gamesched::test;
using Catch::Matchers::ContainsSubstring;

namespace {

constexpr uid_t kUserA = 1;  // daemon
constexpr uid_t kUserB = 2;  // bin

nlohmann::json outcome(const auto& result) {
    if (result) return {{"ok", true}, {"body", ipc::reply_body(*result)}};
    return {{"ok", false}, {"refused", result.error().refused()}, {"error", result.error().message()}};
}

ipc::CoreClient control_client(const TestDaemon& daemon) {
    return ipc::CoreClient({.socket_path = daemon.control_path(), .channel = ipc::Channel::control});
}

}  // namespace

TEST_CASE("the bridge registers and withdraws games only for the user who owns them") {
    // nobody (65534) plays the bridge; its group nogroup (65534) gives it control.sock.
    TestDaemon daemon(
        {.socket_activation = true, .args = {"--control-group=nogroup", "--bridge-user=nobody"}});
    (void)daemon.status();
    Sleeper game_of_a(kUserA);
    const pid_t pid = game_of_a.pid();
    AsUser bridge(kNobody, [&](const Handshake&) {
        auto core = control_client(daemon);
        nlohmann::json out;
        out["b_registers_a"] = outcome(core.register_game(pid, kUserB));
        out["a_registers_a"] = outcome(core.register_game(pid, kUserA));
        out["b_unregisters_a"] = outcome(core.unregister_game(pid, kUserB));
        out["status_after_b"] = outcome(core.get_status());
        out["a_unregisters_a"] = outcome(core.unregister_game(pid, kUserA));
        return out;
    });
    auto out = bridge.join();
    INFO(out.dump(2));

    CHECK(out["b_registers_a"]["refused"] == true);
    // The refusal names no owner: it reads the same whether the pid exists or not.
    CHECK_THAT(out["b_registers_a"]["error"].get<std::string>(),
               ContainsSubstring("is not one of your processes, or does not exist"));
    REQUIRE(out["a_registers_a"]["ok"] == true);
    CHECK(out["a_registers_a"]["body"]["owner_uid"] == kUserA);

    // The bridge's own uid is the same for both callers; only the caller counts.
    // Withdrawing someone else's game answers as if there were none, and removes nothing.
    CHECK(out["b_unregisters_a"]["ok"] == true);
    CHECK(out["b_unregisters_a"]["body"]["removed"] == false);
    const auto& games = out["status_after_b"]["body"]["server"]["games"];
    REQUIRE(games.size() == 1);
    CHECK(games[0]["pid"] == pid);
    CHECK(games[0]["sender_uid"] == kUserA);  // registered for A, not for the bridge

    CHECK(out["a_unregisters_a"]["ok"] == true);
    CHECK(out["a_unregisters_a"]["body"]["removed"] == true);
    CHECK_FALSE(scheduler_has_game(daemon.status(), pid));
}

TEST_CASE("on_behalf_of is refused from control.sock users that are not the bridge") {
    TestDaemon daemon(
        {.socket_activation = true, .args = {"--control-group=nogroup", "--bridge-user=daemon"}});
    (void)daemon.status();
    Sleeper own(kNobody);
    const pid_t pid = own.pid();
    AsUser member(kNobody, [&](const Handshake&) {
        auto core = control_client(daemon);
        nlohmann::json out;
        out["for_other"] = outcome(core.register_game(pid, kNobody));
        out["as_self"] = outcome(core.register_game(pid));
        out["mode_for_other"] = outcome(core.set_mode(ipc::Mode::gaming, kUserA));
        return out;
    });
    auto out = member.join();
    INFO(out.dump(2));
    CHECK(out["for_other"]["refused"] == true);
    CHECK_THAT(out["for_other"]["error"].get<std::string>(),
               ContainsSubstring("\"on_behalf_of\" is for root and the D-Bus bridge"));
    CHECK(out["as_self"]["ok"] == true);
    CHECK(out["mode_for_other"]["refused"] == true);
    CHECK(daemon.status().at("scheduler").at("mode") == "auto");
}

TEST_CASE("the bridge's callers pay from their own hint budget") {
    TestDaemon daemon(
        {.socket_activation = true,
         .args = {"--control-group=nogroup", "--bridge-user=nobody", "--hint-rate=0.001", "--hint-burst=2"}});
    (void)daemon.status();
    Sleeper game_of_a(kUserA);
    const pid_t pid = game_of_a.pid();
    AsUser bridge(kNobody, [&](const Handshake&) {
        auto core = control_client(daemon);
        nlohmann::json out = nlohmann::json::array();
        for (int i = 0; i < 3; ++i) out.push_back(outcome(core.register_game(pid, kUserA)));
        out.push_back(outcome(core.get_status()));  // the bridge itself is not charged
        return out;
    });
    auto out = bridge.join();
    INFO(out.dump(2));
    CHECK(out[0]["ok"] == true);
    CHECK(out[1]["ok"] == true);
    CHECK(out[2]["refused"] == true);
    CHECK_THAT(out[2]["error"].get<std::string>(), ContainsSubstring("rate limit: uid 1"));
    CHECK(out[3]["ok"] == true);
}
