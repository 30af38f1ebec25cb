// The gamesched-detect daemon against a stand-in core that speaks the real protocol on a socket
// in a temp directory: fixture /proc trees and the live /proc.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>

#include "tests/unit/detect/binary_harness.h"

using namespace gamesched::detect::testing;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("Daemon on the live /proc: a Steam-style launch is reported once, and its exit", "[binary][live]") {
    StandInCore core;
    Child detect({"--rules-dir", GAMESCHED_TEST_RULES_DIR, "--socket", core.path(), "--no-gamemode"});
    core.accept_client();
    core.expect<ipc::Subscribe>();
    core.expect<ipc::Renew>();
    // The daemon's start-up scan runs concurrently with these launches, so a game may be reported
    // by the scan or by its exec event; either way exactly once.
    // Hints about other processes (another copy of this test running as the same user) are
    // not ours to judge and are skipped.
    LiveLaunches live;
    auto ours = [&](pid_t pid) { return pid == live.steam_game() || pid == live.wine_game(); };
    core.push(ipc::ProcessEventKind::exec, live.steam_game());
    core.push(ipc::ProcessEventKind::exec, live.wine_game());
    std::vector<ipc::GameStarted> started;
    while (started.size() < 2) {
        auto game = core.expect<ipc::GameStarted>();
        if (ours(game.pid)) started.push_back(game);
    }
    std::sort(started.begin(), started.end(), [](const auto& a, const auto& b) { return a.pid < b.pid; });
    std::vector<pid_t> pids = {live.steam_game(), live.wine_game()};
    std::sort(pids.begin(), pids.end());
    CHECK(std::vector<pid_t>{started[0].pid, started[1].pid} == pids);
    for (const auto& game : started) {
        if (game.pid == live.steam_game()) CHECK(game.app_id == "570");
    }
    live.kill_steam_game();
    core.push(ipc::ProcessEventKind::exit, live.steam_game());
    for (;;) {  // the next hint about one of ours is the exit: no duplicate start came before it
        ipc::Message message = core.next_request();
        if (const auto* exited = std::get_if<ipc::GameExited>(&message); exited && ours(exited->pid)) {
            CHECK(exited->pid == live.steam_game());
            break;
        }
        if (const auto* again = std::get_if<ipc::GameStarted>(&message)) REQUIRE_FALSE(ours(again->pid));
    }
}

TEST_CASE("Daemon: subscribes, reports running and new games and exits, confined, stops on SIGTERM",
          "[binary]") {
    FakeProc proc;
    add_steam_game(proc, 200);
    StandInCore core;
    Child detect(daemon_args(proc, core));
    core.accept_client();
    CHECK(core.expect<ipc::Subscribe>().process_events);
    core.expect<ipc::Renew>();
    const auto running = core.expect<ipc::GameStarted>();  // from the start-up scan
    CHECK(running.pid == 200);
    CHECK(running.app_id == "570");
    CHECK(running.name == "dota2");
    CHECK(running.source == "steam-game");
    CHECK(running.confidence == 75);

    CHECK(status_line(detect.pid(), "NoNewPrivs") == "\t1");
    CHECK(status_line(detect.pid(), "Seccomp") == "\t2");

    proc.add({.pid = 210,
              .comm = "Bar.exe",
              .exe = "/usr/lib/wine/wine64-preloader",
              .args = {"Z:\\g\\Bar.exe"},
              .env = {{"WINEPREFIX", "/p"}}});
    proc.add({.pid = 220, .comm = "cc1plus", .exe = "/usr/lib/gcc/cc1plus"});
    core.push(ipc::ProcessEventKind::exec, 220);  // not a game: no hint
    core.push(ipc::ProcessEventKind::exec, 210);
    const auto started = core.expect<ipc::GameStarted>();
    CHECK(started.pid == 210);
    CHECK(started.source == "wine-program");
    CHECK_FALSE(started.app_id.has_value());

    proc.remove(200);
    core.push(ipc::ProcessEventKind::exit, 220);
    core.push(ipc::ProcessEventKind::exit, 200);
    CHECK(core.expect<ipc::GameExited>().pid == 200);

    detect.signal(SIGTERM);
    CHECK(detect.wait() == 0);
    INFO(detect.err());
    CHECK_THAT(detect.err(), ContainsSubstring("stopping"));
}

TEST_CASE("Daemon: killed with SIGKILL and restarted, it re-learns the running games", "[binary]") {
    FakeProc proc;
    add_steam_game(proc, 200);
    StandInCore core;
    {
        Child first(daemon_args(proc, core));
        core.accept_client();
        core.expect<ipc::Subscribe>();
        core.expect<ipc::Renew>();
        CHECK(core.expect<ipc::GameStarted>().pid == 200);
        first.signal(SIGKILL);
        CHECK(first.wait() == -SIGKILL);
        CHECK(core.client_closed());
    }
    proc.add({.pid = 210,
              .comm = "Bar.exe",
              .exe = "/usr/lib/wine/wine64-preloader",
              .args = {"Z:\\g\\Bar.exe"},
              .env = {{"WINEPREFIX", "/p"}}});  // started while no detector ran
    Child second(daemon_args(proc, core));
    core.accept_client();
    core.expect<ipc::Subscribe>();
    core.expect<ipc::Renew>();  // adopts the leases the killed instance left behind
    std::vector<pid_t> relearned = {core.expect<ipc::GameStarted>().pid, core.expect<ipc::GameStarted>().pid};
    CHECK(relearned == std::vector<pid_t>{200, 210});
}
