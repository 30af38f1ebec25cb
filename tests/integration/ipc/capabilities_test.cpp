// The ownership checks work with exactly the capabilities the shipped gamesched.service leaves
// the core: no CAP_KILL (pidfd_send_signal to another uid), no CAP_SYS_PTRACE (/proc/<pid>/ns).
#include "tests/integration/ipc/harness.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

using namespace gamesched;
using namespace gamesched::test;
using Catch::Matchers::ContainsSubstring;

namespace {

ipc::GameStarted game(pid_t pid) {
    return {pid, std::nullopt, "Bounded Game", "steam", 90};
}

nlohmann::json reply_json(const Result<ipc::Reply>& reply) {
    if (!reply) return {{"transport_error", reply.error().message}};
    return {{"ok", reply->ok}, {"error", reply->error}, {"body", reply->body}};
}

std::uint64_t capability_mask(pid_t pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with(field + ":")) return std::stoull(line.substr(field.size() + 1), nullptr, 16);
    }
    FAIL("no " << field << " for pid " << pid);
    return 0;
}

bool has_game_removal(const nlohmann::json& status, pid_t pid) {
    const auto& calls = status.at("scheduler").at("calls");
    return std::any_of(calls.begin(), calls.end(),
                       [&](const auto& call) { return call["call"] == "remove_game" && call["pid"] == pid; });
}

}  // namespace

TEST_CASE("the daemon really runs with the shipped bounding set") {
    const auto names = shipped_bounding_set();
    CHECK(std::find(names.begin(), names.end(), "kill") == names.end());
    CHECK(std::find(names.begin(), names.end(), "sys_ptrace") == names.end());
    TestDaemon daemon({.socket_activation = true, .args = {}, .shipped_capabilities = true});
    (void)daemon.status();
    const auto effective = capability_mask(daemon.pid(), "CapEff");
    CHECK(effective == capability_mask(daemon.pid(), "CapBnd"));
    CHECK((effective & (1ULL << CAP_KILL)) == 0);
    CHECK((effective & (1ULL << CAP_SYS_PTRACE)) == 0);
    CHECK((effective & (1ULL << CAP_DAC_OVERRIDE)) == 0);
}

TEST_CASE("with the shipped capabilities a user's own hint is applied and a foreign one refused") {
    TestDaemon daemon({.socket_activation = true, .args = {}, .shipped_capabilities = true});
    Sleeper root_process;
    AsUser nobody(kNobody, [&](const Handshake& parent) {
        auto client = ipc::Client::connect(daemon.hints_path(), ipc::Channel::hints);
        if (!client) return nlohmann::json{{"setup_error", client.error().message}};
        nlohmann::json out;
        out["foreign"] = reply_json(client->request(game(root_process.pid()), kReplyTimeout));
        const pid_t own = fork();
        if (own == 0) {
            pause();
            _exit(0);
        }
        out["own_pid"] = own;
        out["own"] = reply_json(client->request(game(own), kReplyTimeout));
        out["focus"] = reply_json(client->request(ipc::FocusChanged{own}, kReplyTimeout));
        parent.notify();  // the parent sees the game now
        parent.wait();
        kill(own, SIGKILL);
        waitpid(own, nullptr, 0);
        parent.notify();  // the lease must end from the pidfd alone
        parent.wait();
        return out;
    });
    nobody.handshake().wait();
    // Root's own request, from a process with more capabilities than the daemon.
    const auto with_game = daemon.status().at("scheduler");
    nobody.handshake().notify();
    nobody.handshake().wait();
    bool game_seen = false;
    for (const auto& entry : with_game.at("games")) game_seen = game_seen || entry.at("owner") == kNobody;
    CHECK(game_seen);
    CHECK(with_game.at("focus") != 0);
    nlohmann::json after_exit;
    const bool lease_ended = eventually([&] {
        after_exit = daemon.status();
        return after_exit.at("server").at("games").empty();
    });
    nobody.handshake().notify();
    auto out = nobody.join();
    INFO(out.dump(2));
    CHECK(lease_ended);
    CHECK(has_game_removal(after_exit, out["own_pid"].get<pid_t>()));
    CHECK(out["own"]["ok"] == true);
    CHECK(out["own"]["body"]["owner_uid"] == kNobody);
    CHECK(out["focus"]["ok"] == true);
    CHECK(out["foreign"]["ok"] == false);
    CHECK_THAT(out["foreign"]["error"].get<std::string>(), ContainsSubstring("is not one of your processes"));
}

TEST_CASE("with the shipped capabilities a peer in a child PID namespace is told so") {
    TestDaemon daemon({.socket_activation = true, .args = {}, .shipped_capabilities = true});
    (void)daemon.status();
    Sleeper target;
    const std::string hints_path = daemon.hints_path();
    const pid_t target_pid = target.pid();
    int result[2];
    REQUIRE(pipe(result) == 0);
    const pid_t outer = fork();
    REQUIRE(outer >= 0);
    if (outer == 0) {
        // Root in a new PID namespace: its first child is PID 1 there.
        if (unshare(CLONE_NEWPID) != 0) _exit(10);
        const pid_t inner = fork();
        if (inner == 0) {
            nlohmann::json out;
            auto client = ipc::Client::connect(hints_path, ipc::Channel::hints);
            out = client ? reply_json(client->request(game(target_pid), kReplyTimeout))
                         : nlohmann::json{{"connect_error", client.error().message}};
            out["own_pid"] = getpid();
            const std::string text = out.dump();
            (void)!write(result[1], text.data(), text.size());
            _exit(0);
        }
        int wstatus = 0;
        waitpid(inner, &wstatus, 0);
        _exit(inner > 0 && WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 11);
    }
    close(result[1]);
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(result[0], buffer, sizeof buffer)) > 0;) text.append(buffer, n);
    close(result[0]);
    int wstatus = 0;
    REQUIRE(waitpid(outer, &wstatus, 0) == outer);
    REQUIRE(WIFEXITED(wstatus));
    REQUIRE(WEXITSTATUS(wstatus) == 0);
    const auto out = nlohmann::json::parse(text);
    INFO(out.dump());
    CHECK(out["own_pid"] == 1);
    CHECK(out["ok"] == false);
    CHECK_THAT(out["error"].get<std::string>(), ContainsSubstring("another PID namespace"));
    CHECK_FALSE(scheduler_has_game(daemon.status(), target_pid));
}
