// Hostile input: floods, oversized and malformed records, quota exhaustion.
#include "ipc/unix_socket.h"
#include "tests/integration/ipc/harness.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <unistd.h>

#include <vector>

using namespace gamesched;
using namespace gamesched::test;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("the hint rate limit refuses a flood and leaves other users unaffected") {
    // One token per 100 s: after the burst of 5, nothing refills during the test.
    TestDaemon daemon({.socket_activation = true, .args = {"--hint-rate=0.01", "--hint-burst=5"}});
    auto hints = daemon.connect(ipc::Channel::hints);
    for (int i = 0; i < 5; ++i) {
        auto reply = hints.request(ipc::GetStatus{}, kReplyTimeout);
        REQUIRE(reply.ok());
        CHECK(reply->ok);
    }
    auto limited = hints.request(ipc::GetStatus{}, kReplyTimeout);
    REQUIRE(limited.ok());
    CHECK_FALSE(limited->ok);
    CHECK_THAT(limited->error, ContainsSubstring("rate limit: uid 0"));

    // The same uid on a new connection shares the budget.
    auto again = daemon.connect(ipc::Channel::hints);
    auto still_limited = again.request(ipc::GetStatus{}, kReplyTimeout);
    REQUIRE(still_limited.ok());
    CHECK_THAT(still_limited->error, ContainsSubstring("rate limit"));

    // Another uid has its own budget.
    AsUser nobody(kNobody, [&](const Handshake&) {
        auto client = ipc::Client::connect(daemon.hints_path(), ipc::Channel::hints);
        if (!client) return nlohmann::json{{"setup_error", client.error().message}};
        auto reply = client->request(ipc::GetStatus{}, kReplyTimeout);
        return nlohmann::json{{"ok", reply.ok() && reply->ok}};
    });
    CHECK(nobody.join()["ok"] == true);
    // control.sock is not rate limited: root's management keeps working.
    CHECK(daemon.status().at("server").at("connections").get<int>() >= 1);
}

TEST_CASE("an oversized record gets an error reply and the connection is closed") {
    TestDaemon daemon;
    auto hints = daemon.connect(ipc::Channel::hints);
    REQUIRE(hints.send_raw(std::string(5000, ' '), kReplyTimeout).ok());
    auto reply = hints.receive(kReplyTimeout);
    REQUIRE(reply.ok());
    const auto& refusal = std::get<ipc::Reply>(*reply);
    CHECK_FALSE(refusal.ok);
    CHECK_THAT(refusal.error, ContainsSubstring("5000 bytes exceeds the 4096-byte limit"));
    CHECK_THAT(refusal.error, ContainsSubstring("connection closed"));
    auto after = hints.receive(kReplyTimeout);
    REQUIRE_FALSE(after.ok());
    CHECK(after.error().code == ECONNRESET);
}

TEST_CASE("malformed records get error replies and the connection survives") {
    TestDaemon daemon;
    auto hints = daemon.connect(ipc::Channel::hints);
    const auto error_for = [&](const std::string& record) {
        REQUIRE(hints.send_raw(record, kReplyTimeout).ok());
        auto received = hints.receive(kReplyTimeout);
        REQUIRE(received.ok());
        const auto reply = std::get<ipc::Reply>(*received);
        CHECK_FALSE(reply.ok);
        return reply;
    };
    CHECK_THAT(error_for("not json").error, ContainsSubstring("not valid JSON"));
    CHECK_THAT(error_for("{\"v\":1,\"name\":\"\xff\"}").error, ContainsSubstring("UTF-8"));
    CHECK_THAT(error_for(R"({"v":9,"id":1,"type":"renew"})").error, ContainsSubstring("protocol version"));
    const auto bad_pid = error_for(
        R"({"v":1,"id":7,"type":"game_started","pid":-1,"name":"x","source":"steam","confidence":1})");
    CHECK(bad_pid.id == 7u);  // once the envelope parsed, the error echoes the request id
    CHECK_THAT(bad_pid.error, ContainsSubstring("\"pid\" must be an integer in 1..4194304"));
    const auto wrong_channel = error_for(R"({"v":1,"id":8,"type":"set_mode","mode":"gaming"})");
    CHECK_THAT(wrong_channel.error, ContainsSubstring("control.sock only"));

    auto reply = hints.request(ipc::GetStatus{}, kReplyTimeout);
    REQUIRE(reply.ok());
    CHECK(reply->ok);
}

TEST_CASE("the per-uid game quota is enforced") {
    TestDaemon daemon({.socket_activation = true, .args = {"--max-games=2"}});
    Sleeper a, b, c;
    auto hints = daemon.connect(ipc::Channel::hints);
    const auto game = [](pid_t pid) { return ipc::GameStarted{pid, std::nullopt, "g", "wine", 50}; };
    REQUIRE(hints.call(game(a.pid()), kReplyTimeout).ok());
    REQUIRE(hints.call(game(b.pid()), kReplyTimeout).ok());
    REQUIRE(hints.call(game(b.pid()), kReplyTimeout).ok());  // an update, not a new game
    auto third = hints.request(game(c.pid()), kReplyTimeout);
    REQUIRE(third.ok());
    CHECK_FALSE(third->ok);
    CHECK_THAT(third->error, ContainsSubstring("already has 2 games registered (the limit)"));
    CHECK_FALSE(scheduler_has_game(daemon.status(), c.pid()));
}

TEST_CASE("connections per uid are capped") {
    TestDaemon daemon({.socket_activation = true, .args = {"--max-connections-per-uid=3"}});
    std::vector<ipc::Client> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(daemon.connect(ipc::Channel::hints));
        REQUIRE(clients.back().call(ipc::GetStatus{}, kReplyTimeout).ok());
    }
    auto extra = daemon.connect(ipc::Channel::hints);
    auto refused = extra.request(ipc::GetStatus{}, kReplyTimeout);
    REQUIRE(refused.ok());
    CHECK_FALSE(refused->ok);
    CHECK_THAT(refused->error, ContainsSubstring("too many connections"));
    clients.pop_back();  // closing one makes room
    CHECK(eventually([&] {
        auto client = ipc::Client::connect(daemon.hints_path(), ipc::Channel::hints);
        if (!client) return false;
        auto reply = client->request(ipc::GetStatus{}, kReplyTimeout);
        return reply.ok() && reply->ok;
    }));
}

TEST_CASE("a flood from one user stays cheap and leaves other users answered") {
    TestDaemon daemon;
    (void)daemon.status();  // the daemon runs
    const long rss_before = rss_kib(daemon.pid());
    AsUser flooder(kNobody, [&](const Handshake& parent) {
        const std::string record =
            ipc::encode_request({1, ipc::GameStarted{1, std::nullopt, std::string(128, 'f'), "flood", 100}});
        std::vector<UniqueFd> connections;
        for (int i = 0; i < 64; ++i) {
            auto fd = ipc::connect_seqpacket(daemon.hints_path(), true);
            if (fd) connections.push_back(std::move(*fd));
        }
        long sent = 0;
        for (int round = 0; round < 500; ++round) {
            for (const auto& fd : connections) {
                auto status = ipc::send_record(fd.get(), record);
                sent += status.ok() && *status == ipc::IoStatus::done;
            }
        }
        parent.notify();  // still connected, buffers full: the parent checks the daemon now
        parent.wait();
        return nlohmann::json{{"sent", sent}, {"connections", connections.size()}};
    });
    flooder.handshake().wait();

    AsUser bystander(kNobody - 1, [&](const Handshake&) {
        auto client = ipc::Client::connect(daemon.hints_path(), ipc::Channel::hints);
        if (!client) return nlohmann::json{{"setup_error", client.error().message}};
        auto reply = client->request(ipc::GetStatus{}, kReplyTimeout);
        return nlohmann::json{{"ok", reply.ok() && reply->ok}};
    });
    CHECK(bystander.join()["ok"] == true);
    const auto status = daemon.status();
    const long rss_during = rss_kib(daemon.pid());
    flooder.handshake().notify();
    auto out = flooder.join();
    WARN("flood: " << out["sent"] << " records sent over " << out["connections"]
                   << " connections; daemon held " << status["server"]["connections"] << " connections; RSS "
                   << rss_before << " KiB before, " << rss_during << " KiB during");
    CHECK(out["sent"].get<long>() > 1000);  // it really was a flood
    // At most 32 connections per uid (plus this status query), and memory stays small.
    CHECK(status["server"]["connections"].get<int>() <= 33);
    CHECK(rss_during - rss_before < 16 * 1024);
}
