// Hints may only name the sender's own processes; control.sock is for root (and group gamesched).
#include "tests/integration/ipc/harness.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace gamesched;
using namespace gamesched::test;
using Catch::Matchers::ContainsSubstring;

namespace {

ipc::GameStarted game(pid_t pid) {
    return {pid, std::nullopt, "Test Game", "steam", 90};
}

nlohmann::json reply_json(const Result<ipc::Reply>& reply) {
    if (!reply) return {{"transport_error", reply.error().message}};
    return {{"ok", reply->ok}, {"error", reply->error}, {"body", reply->body}};
}

}  // namespace

TEST_CASE("a user's hint about another user's process is refused; about its own, applied") {
    TestDaemon daemon;
    AsUser nobody(kNobody, [&](const Handshake&) {
        auto client = ipc::Client::connect(daemon.hints_path(), ipc::Channel::hints);
        if (!client) return nlohmann::json{{"setup_error", client.error().message}};
        nlohmann::json out;
        out["foreign"] = reply_json(client->request(game(1), kReplyTimeout));
        out["focus_foreign"] = reply_json(client->request(ipc::FocusChanged{1}, kReplyTimeout));
        const pid_t own = fork();
        if (own == 0) {
            pause();
            _exit(0);
        }
        out["own_pid"] = own;
        out["own"] = reply_json(client->request(game(own), kReplyTimeout));
        out["status"] = reply_json(client->request(ipc::GetStatus{}, kReplyTimeout));
        kill(own, SIGKILL);
        waitpid(own, nullptr, 0);
        return out;
    });
    auto out = nobody.join();
    INFO(out.dump(2));

    CHECK(out["foreign"]["ok"] == false);
    CHECK_THAT(out["foreign"]["error"].get<std::string>(),
               ContainsSubstring("pid 1 is not one of your processes, or does not exist"));
    CHECK(out["focus_foreign"]["ok"] == false);
    CHECK_THAT(out["focus_foreign"]["error"].get<std::string>(),
               ContainsSubstring("not one of your processes"));

    CHECK(out["own"]["ok"] == true);
    CHECK(out["own"]["body"]["owner_uid"] == kNobody);
    const auto& games = out["status"]["body"]["server"]["games"];
    REQUIRE(games.size() == 1);
    CHECK(games[0]["pid"] == out["own_pid"]);
    CHECK(games[0]["owner_uid"] == kNobody);

    // The scheduler saw exactly the accepted hint, never the refused ones.
    const auto calls = daemon.status().at("scheduler").at("calls");
    std::vector<nlohmann::json> adds;
    for (const auto& call : calls) {
        if (call["call"] == "add_game") adds.push_back(call);
        CHECK(call["call"] != "set_focus");
    }
    REQUIRE(adds.size() == 1);
    CHECK(adds[0]["pid"] == out["own_pid"]);
    CHECK(adds[0]["owner"] == kNobody);
}

TEST_CASE("root may name any process") {
    TestDaemon daemon;
    Sleeper target;
    auto hints = daemon.connect(ipc::Channel::hints);
    auto reply = hints.call(game(target.pid()), kReplyTimeout);
    REQUIRE(reply.ok());
    CHECK(scheduler_has_game(daemon.status(), target.pid()));
}

TEST_CASE("a thread id or a missing process is refused with advice") {
    TestDaemon daemon;
    auto hints = daemon.connect(ipc::Channel::hints);
    Sleeper gone;
    const pid_t pid = gone.pid();
    gone.kill_and_reap();
    auto reply = hints.request(game(pid), kReplyTimeout);
    REQUIRE(reply.ok());
    CHECK_FALSE(reply->ok);
    CHECK_THAT(reply->error, ContainsSubstring("no process with pid"));

    const auto thread_reply = [&] {
        const SleepingThread thread;
        return hints.request(game(thread.tid()), kReplyTimeout);
    }();
    REQUIRE(thread_reply.ok());
    CHECK_FALSE(thread_reply->ok);
    CHECK_THAT(thread_reply->error, ContainsSubstring("send the process id (TGID)"));
}

TEST_CASE("control.sock refuses users that are neither root nor in group gamesched") {
    TestDaemon daemon({.socket_activation = true, .args = {"--control-group=gamesched-no-such-group"}});
    (void)daemon.status();  // starts the daemon as root first
    AsUser nobody(kNobody, [&](const Handshake&) {
        auto client = ipc::Client::connect(daemon.control_path(), ipc::Channel::control);
        if (!client) return nlohmann::json{{"connect_error", client.error().message}};
        return reply_json(client->request(ipc::SetMode{.mode = ipc::Mode::powersave}, kReplyTimeout));
    });
    auto out = nobody.join();
    INFO(out.dump());
    CHECK(out["ok"] == false);
    CHECK_THAT(out["error"].get<std::string>(),
               ContainsSubstring("control.sock is for root and members of group"));
    CHECK(daemon.status().at("scheduler").at("mode") == "auto");
}
