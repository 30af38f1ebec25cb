// Refusals leak nothing about processes the sender does not own: the same request about a pid
// gets byte-identical replies whether that pid is another user's process or does not exist.
#include "ipc/unix_socket.h"
#include "tests/integration/ipc/harness.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace gamesched;
using namespace gamesched::test;
using Catch::Matchers::ContainsSubstring;

namespace {

// The raw reply bytes to one raw request record.
std::string exchange(int fd, const std::string& record) {
    if (!ipc::send_record(fd, record).ok()) return "send failed";
    auto ready = ipc::wait_fd(fd, POLLIN, kReplyTimeout);
    if (!ready || !*ready) return "no reply";
    auto reply = ipc::recv_record(fd, ipc::kHintsMaxRecord);
    return reply.ok() ? reply->bytes : "receive failed: " + reply.error().message;
}

std::string request_about(pid_t pid, bool focus) {
    const ipc::Message message =
        focus ? ipc::Message{ipc::FocusChanged{pid}}
              : ipc::Message{ipc::GameStarted{pid, std::nullopt, "Test Game", "steam", 90}};
    return ipc::encode_request(ipc::Request{7, message});
}

}  // namespace

TEST_CASE("a refusal is byte-identical whether the pid is another user's process or does not exist") {
    TestDaemon daemon;
    Sleeper roots;  // root's process; nobody may not name it
    const pid_t pid = roots.pid();
    AsUser nobody(kNobody, [&](const Handshake& handshake) {
        auto fd = ipc::connect_seqpacket(daemon.hints_path());
        if (!fd) return nlohmann::json{{"setup_error", fd.error().message}};
        nlohmann::json out;
        out["game_exists"] = exchange(fd->get(), request_about(pid, false));
        out["focus_exists"] = exchange(fd->get(), request_about(pid, true));
        handshake.notify();
        handshake.wait();  // the parent killed the process: the pid names nothing now
        out["game_gone"] = exchange(fd->get(), request_about(pid, false));
        out["focus_gone"] = exchange(fd->get(), request_about(pid, true));
        return out;
    });
    nobody.handshake().wait();
    roots.kill_and_reap();
    nobody.handshake().notify();
    const auto out = nobody.join();
    INFO(out.dump(2));
    const std::string game = out.at("game_exists"), focus = out.at("focus_exists");
    CHECK(game == out.at("game_gone").get<std::string>());
    CHECK(focus == out.at("focus_gone").get<std::string>());
    CHECK_THAT(game, ContainsSubstring("\"ok\":false"));
    CHECK_THAT(game, ContainsSubstring("is not one of your processes, or does not exist"));
    CHECK_THAT(game, !ContainsSubstring("uid 0"));
    CHECK(focus == game);  // the same words for focus and game hints
}

TEST_CASE("a thread of another user's process gets the same words as any other pid") {
    TestDaemon daemon;
    const SleepingThread thread;
    const pid_t thread_id = thread.tid();
    AsUser nobody(kNobody, [&](const Handshake&) {
        auto fd = ipc::connect_seqpacket(daemon.hints_path());
        if (!fd) return nlohmann::json{{"setup_error", fd.error().message}};
        return nlohmann::json{{"reply", exchange(fd->get(), request_about(thread_id, false))}};
    });
    const auto out = nobody.join();
    const std::string expected = "pid " + std::to_string(thread_id) +
                                 " is not one of your processes, or does not exist; hints may only name your "
                                 "own running processes, by process id (TGID)";
    CHECK_THAT(out.at("reply").get<std::string>(), ContainsSubstring(expected));
}

TEST_CASE("withdrawing another user's game or focus answers as if there were none") {
    TestDaemon daemon;
    Sleeper roots;
    auto root = daemon.connect(ipc::Channel::hints);
    REQUIRE(
        root.call(ipc::GameStarted{roots.pid(), std::nullopt, "Root Game", "steam", 90}, kReplyTimeout).ok());
    REQUIRE(root.call(ipc::FocusChanged{roots.pid()}, kReplyTimeout).ok());
    AsUser nobody(kNobody, [&](const Handshake&) {
        auto client = ipc::Client::connect(daemon.hints_path(), ipc::Channel::hints);
        if (!client) return nlohmann::json{{"setup_error", client.error().message}};
        auto exited = client->call(ipc::GameExited{roots.pid()}, kReplyTimeout);
        auto cleared = client->call(ipc::FocusChanged{0}, kReplyTimeout);
        return nlohmann::json{
            {"exited", exited.ok() ? *exited : nlohmann::json(exited.error().message())},
            {"cleared", cleared.ok() ? *cleared : nlohmann::json(cleared.error().message())}};
    });
    const auto out = nobody.join();
    INFO(out.dump());
    CHECK(out.at("exited") == nlohmann::json{{"removed", false}});
    CHECK(out.at("cleared") == nlohmann::json{{"cleared", false}, {"pid", 0}});
    CHECK(scheduler_has_game(daemon.status(), roots.pid()));  // and nothing changed
}
