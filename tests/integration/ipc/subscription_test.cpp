// Pushed messages: process events only to subscribers of the same uid (root gets all), stats
// samples at the subscriber's interval, stats only on control.sock.
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
    return {pid, std::nullopt, "Sub Game", "steam", 70};
}

}  // namespace

TEST_CASE("process events reach subscribers of the same uid, and root") {
    TestDaemon daemon;
    auto root_subscriber = daemon.connect(ipc::Channel::control);
    REQUIRE(
        root_subscriber.call(ipc::Subscribe{true, false, ipc::kDefaultStatsIntervalMs}, kReplyTimeout).ok());
    Sleeper roots_game;

    AsUser nobody(kNobody, [&](const Handshake& parent) {
        auto client = ipc::Client::connect(daemon.hints_path(), ipc::Channel::hints);
        if (!client) return nlohmann::json{{"setup_error", client.error().message}};
        auto subscribed =
            client->call(ipc::Subscribe{true, false, ipc::kDefaultStatsIntervalMs}, kReplyTimeout);
        auto stats = client->request(ipc::Subscribe{false, true, 1000}, kReplyTimeout);
        // Subscribe again: the refused stats request must not have changed anything.
        (void)client->call(ipc::Subscribe{true, false, ipc::kDefaultStatsIntervalMs}, kReplyTimeout);
        parent.notify();  // subscribed: root registers its game now
        parent.wait();    // root's event was published before our own
        const pid_t own = fork();
        if (own == 0) {
            pause();
            _exit(0);
        }
        (void)client->call(game(own), kReplyTimeout);
        // Events arrive in publication order: anything about root's game would come first.
        nlohmann::json seen = nlohmann::json::array();
        for (;;) {
            auto push = client->next_push(kReplyTimeout);
            if (!push) break;
            const auto* event = std::get_if<ipc::ProcessEvent>(&*push);
            if (event == nullptr) continue;
            seen.push_back({{"pid", event->pid}, {"uid", event->uid}});
            if (event->pid == own) break;
        }
        kill(own, SIGKILL);
        waitpid(own, nullptr, 0);
        return nlohmann::json{{"subscribed", subscribed.ok()},
                              {"stats_error", stats.ok() ? stats->error : "transport"},
                              {"own", own},
                              {"seen", seen}};
    });
    nobody.handshake().wait();
    REQUIRE(root_subscriber.call(game(roots_game.pid()), kReplyTimeout).ok());
    nobody.handshake().notify();
    auto out = nobody.join();
    INFO(out.dump(2));

    CHECK(out["subscribed"] == true);
    CHECK_THAT(out["stats_error"].get<std::string>(), ContainsSubstring("control.sock only"));
    REQUIRE(out["seen"].size() == 1);
    CHECK(out["seen"][0]["pid"] == out["own"]);
    CHECK(out["seen"][0]["uid"] == kNobody);

    // Root saw both: its own game's event and the user's.
    std::vector<pid_t> root_seen;
    while (root_seen.size() < 2) {
        auto push = root_subscriber.next_push(kReplyTimeout);
        REQUIRE(push.ok());
        if (const auto* event = std::get_if<ipc::ProcessEvent>(&*push)) root_seen.push_back(event->pid);
    }
    CHECK(root_seen == std::vector<pid_t>{roots_game.pid(), out["own"].get<pid_t>()});
}

TEST_CASE("stats samples are pushed at the subscriber's interval") {
    TestDaemon daemon({.socket_activation = true, .args = {"--stats-every-ms=50"}});
    auto subscriber = daemon.connect(ipc::Channel::control);
    auto reply = subscriber.call(ipc::Subscribe{false, true, 100}, kReplyTimeout);
    REQUIRE(reply.ok());
    CHECK(reply->at("interval_ms") == 100);
    std::vector<std::uint64_t> seqs;
    while (seqs.size() < 3) {
        auto push = subscriber.next_push(kReplyTimeout);
        REQUIRE(push.ok());
        const auto& sample = std::get<ipc::StatsSample>(*push).sample;
        seqs.push_back(sample.at("seq").get<std::uint64_t>());
    }
    // Each push carries a newer sample than the one before.
    CHECK(seqs[0] < seqs[1]);
    CHECK(seqs[1] < seqs[2]);

    auto unsubscribed = subscriber.call(ipc::Subscribe{false, false, 1000}, kReplyTimeout);
    REQUIRE(unsubscribed.ok());
    CHECK(unsubscribed->at("topics").empty());
}

TEST_CASE("a subscriber that never reads is dropped, not buffered for") {
    TestDaemon daemon;
    auto lazy = daemon.connect(ipc::Channel::control);
    REQUIRE(lazy.call(ipc::Subscribe{true, false, ipc::kDefaultStatsIntervalMs}, kReplyTimeout).ok());
    // Every game_started (even for a known game) publishes one event in the test daemon. The
    // kernel buffer plus the daemon's outbox hold a few hundred; the lazy client must be dropped
    // long before 3000.
    Sleeper target;
    auto busy = daemon.connect(ipc::Channel::control);
    for (int i = 0; i < 3000; ++i) {
        REQUIRE(busy.call(game(target.pid()), kReplyTimeout).ok());
    }
    std::size_t drained = 0;
    for (;;) {
        auto record = lazy.receive(kReplyTimeout);
        if (!record) {
            CHECK(record.error().code == ECONNRESET);
            break;
        }
        ++drained;
    }
    CHECK(drained < 3000);
    CHECK(daemon.status().at("server").at("connections") == 2);  // busy + this status query
}
