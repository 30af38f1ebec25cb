// stop: only root and the D-Bus bridge may detach the scheduler for good; the journal learns who
// asked (the bridge names its caller). The socket layer's part: the scheduler's
// stop_and_stay_off is called once, with the requester, and only for those two.
#include "tests/integration/ipc/harness.h"

#include "ipc/core_client.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cerrno>

using namespace gamesched;
using namespace gamesched::test;
using Catch::Matchers::ContainsSubstring;

namespace {

nlohmann::json stop_calls(const TestDaemon& daemon) {
    nlohmann::json out = nlohmann::json::array();
    // Kept in a variable: a range-for over status().at(...) would iterate a destroyed temporary.
    const nlohmann::json status = daemon.status();
    for (const auto& call : status.at("scheduler").at("calls")) {
        if (call.at("call") == "stop_and_stay_off") out.push_back(call);
    }
    return out;
}

nlohmann::json stop_as(uid_t uid, const TestDaemon& daemon, ipc::OnBehalfOf on_behalf_of) {
    AsUser user(uid, [&](const Handshake&) {
        ipc::CoreClient core({.socket_path = daemon.control_path(), .channel = ipc::Channel::control});
        auto stopped = core.stop(on_behalf_of);
        if (stopped) return nlohmann::json{{"ok", true}};
        return nlohmann::json{{"ok", false},
                              {"refused", stopped.error().refused()},
                              {"code", stopped.error().error.code},
                              {"error", stopped.error().message()}};
    });
    return user.join();
}

}  // namespace

TEST_CASE("root stops the scheduler; the request names root") {
    TestDaemon daemon;
    ipc::CoreClient core({.socket_path = daemon.control_path(), .channel = ipc::Channel::control});
    auto stopped = core.stop();
    INFO((stopped ? std::string("ok") : stopped.error().message()));
    REQUIRE(stopped.ok());
    const auto calls = stop_calls(daemon);
    REQUIRE(calls.size() == 1);
    CHECK(calls[0]["requested_by"] == "uid 0");
}

TEST_CASE("the bridge stops it for the administrator polkit authorised; a group member cannot") {
    // nobody (group nogroup) may use control.sock; it is the bridge for the first daemon and a
    // plain member for the second.
    TestDaemon daemon({.args = {"--control-group=nogroup", "--bridge-user=nobody"}});
    auto out = stop_as(kNobody, daemon, 1000u);
    INFO(out.dump());
    CHECK(out["ok"] == true);
    const auto calls = stop_calls(daemon);
    REQUIRE(calls.size() == 1);
    CHECK(calls[0]["requested_by"] == "uid 1000 through the D-Bus bridge");

    TestDaemon other({.args = {"--control-group=nogroup", "--bridge-user=daemon"}});
    auto member = stop_as(kNobody, other, std::nullopt);
    INFO(member.dump());
    CHECK(member["refused"] == true);
    CHECK_THAT(member["error"].get<std::string>(), ContainsSubstring("stop is for administrators"));
    CHECK(member["code"] == EPERM);  // the reply's "errno", which the bridge maps to a D-Bus error name
    CHECK(stop_calls(other).empty());
}

TEST_CASE("stop is not accepted on hints.sock") {
    TestDaemon daemon;
    auto hints = daemon.connect(ipc::Channel::hints);
    auto sent = hints.send_raw(R"({"v":1,"id":1,"type":"stop"})", kReplyTimeout);
    REQUIRE(sent.ok());
    auto reply = hints.receive(kReplyTimeout);
    REQUIRE(reply.ok());
    const auto* answer = std::get_if<ipc::Reply>(&*reply);
    REQUIRE(answer != nullptr);
    CHECK_FALSE(answer->ok);
    CHECK_THAT(answer->error, ContainsSubstring("control.sock"));
    CHECK(stop_calls(daemon).empty());
}
