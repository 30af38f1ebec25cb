// The detector's life cycle on fixture trees: reports at exec, re-scoring of candidates as they
// grow, exits for every reported pid, the start-up scan and the restart re-learn. Time is passed
// in explicitly, so nothing here sleeps or depends on timing.
#include <algorithm>
#include <catch2/catch_test_macros.hpp>

#include "helpers/detect/detector.h"
#include "helpers/detect/rule_loader.h"
#include "tests/unit/detect/fake_proc.h"

using namespace gamesched::detect;
using namespace std::chrono_literals;
using gamesched::detect::testing::FakeProc;
using gamesched::detect::testing::FakeProcess;

namespace {

struct RecordingSink final : HintSink {
    std::vector<GameReport> started;
    std::vector<pid_t> exited;
    void game_started(const GameReport& game) override { started.push_back(game); }
    void game_exited(pid_t pid) override { exited.push_back(pid); }
    void audio_server(pid_t pid) override { audio.push_back(pid); }
    std::vector<pid_t> audio;
};

struct Harness {
    FakeProc proc;
    ProcReader reader{proc.root()};
    Classifier classifier{[] {
        RuleLoad load = load_rule_dirs({gamesched::detect::testing::shipped_rules_dir()});
        REQUIRE(load.errors.empty());
        return std::move(load.rules);
    }()};
    RecordingSink sink;
    Detector detector{classifier, reader, sink, ::getuid()};
    Clock::time_point t0 = Clock::now();
};

FakeProcess reaper() {
    return {.pid = 100,
            .comm = "reaper",
            .exe = "/s/ubuntu12_32/reaper",
            .args = {"/s/ubuntu12_32/reaper", "SteamLaunch", "AppId=570", "--", "/games/dota"}};
}

FakeProcess steam_game(pid_t pid, pid_t ppid = 100) {
    return {.pid = pid,
            .ppid = ppid,
            .comm = "dota2",
            .exe = "/games/dota/dota2",
            .args = {"/games/dota/dota2"},
            .env = {{"SteamAppId", "570"}}};
}

// A Steam game without a reaper ancestor: 60, a candidate until it grows.
FakeProcess lone_candidate(pid_t pid, int threads = 2, bool gpu = false) {
    FakeProcess p{.pid = pid,
                  .comm = "game",
                  .exe = "/games/g/game",
                  .args = {"/games/g/game"},
                  .env = {{"SteamGameId", "440"}},
                  .threads = threads};
    if (gpu) p.fds.push_back("/dev/dri/renderD128");
    return p;
}

}  // namespace

TEST_CASE("A certain game is reported once at exec and its exit is reported", "[detector]") {
    Harness h;
    h.proc.add(reaper());
    h.proc.add(steam_game(200));
    h.detector.on_exec(200, h.t0);
    REQUIRE(h.sink.started.size() == 1);
    CHECK(h.sink.started[0].pid == 200);
    CHECK(h.sink.started[0].steam_app_id == 570u);
    CHECK(h.sink.started[0].rule == "steam-game");
    CHECK(h.sink.started[0].confidence == 75);
    CHECK(h.sink.started[0].name == "dota2");
    CHECK_FALSE(h.detector.next_deadline().has_value());  // nothing pending: no timer armed

    h.detector.on_exec(200, h.t0 + 1s);  // the same game exec'ing itself again: no second report
    CHECK(h.sink.started.size() == 1);

    h.proc.remove(200);
    h.detector.on_exit(200);
    CHECK(h.sink.exited == std::vector<pid_t>{200});
    CHECK(h.detector.games().empty());
    h.detector.on_exit(200);  // a duplicate exit is not reported twice
    CHECK(h.sink.exited.size() == 1);
}

TEST_CASE("Exits of processes never reported as games are not reported", "[detector]") {
    Harness h;
    h.proc.add({.pid = 300, .comm = "cc1plus", .exe = "/usr/lib/gcc/cc1plus"});
    h.detector.on_exec(300, h.t0);
    h.detector.on_exit(300);
    h.detector.on_exit(301);  // never seen at all
    CHECK(h.sink.started.empty());
    CHECK(h.sink.exited.empty());
}

TEST_CASE("A candidate becomes certain when a re-score sees its threads and GPU use grow", "[detector]") {
    Harness h;
    h.proc.add(lone_candidate(400));
    h.detector.on_exec(400, h.t0);
    CHECK(h.sink.started.empty());
    CHECK(h.detector.is_pending(400));
    REQUIRE(h.detector.next_deadline() == h.t0 + 250ms);

    h.detector.on_timer(h.t0 + 100ms);  // early wake-up: nothing is due, nothing changes
    CHECK(h.detector.next_deadline() == h.t0 + 250ms);

    h.detector.on_timer(h.t0 + 250ms);  // still small: stays a candidate, next look at +1 s
    CHECK(h.sink.started.empty());
    REQUIRE(h.detector.next_deadline() == h.t0 + 1000ms);

    h.proc.add(lone_candidate(400, 24, true));  // it opened /dev/dri and spawned its threads
    h.detector.on_timer(h.t0 + 1000ms);
    REQUIRE(h.sink.started.size() == 1);
    CHECK(h.sink.started[0].pid == 400);
    CHECK(h.sink.started[0].confidence == 80);
    CHECK(h.sink.started[0].steam_app_id == 440u);
    CHECK_FALSE(h.detector.is_pending(400));
    CHECK_FALSE(h.detector.next_deadline().has_value());

    h.detector.on_exit(400);
    CHECK(h.sink.exited == std::vector<pid_t>{400});
}

TEST_CASE("A candidate that never grows is looked at on the schedule, then dropped", "[detector]") {
    Harness h;
    h.proc.add(lone_candidate(500));
    h.detector.on_exec(500, h.t0);
    std::vector<Clock::duration> looks;
    while (auto due = h.detector.next_deadline()) {
        looks.push_back(*due - h.t0);
        h.detector.on_timer(*due);
    }
    CHECK(looks == std::vector<Clock::duration>{250ms, 1000ms, 3000ms, 10000ms});
    CHECK(h.sink.started.empty());
    CHECK(h.detector.pending_count() == 0);
    h.detector.on_exit(500);
    CHECK(h.sink.exited.empty());
}

TEST_CASE("A candidate that exits before its re-score is forgotten", "[detector]") {
    Harness h;
    h.proc.add(lone_candidate(600));
    h.detector.on_exec(600, h.t0);
    h.proc.remove(600);
    h.detector.on_exit(600);
    CHECK_FALSE(h.detector.next_deadline().has_value());
    CHECK(h.sink.exited.empty());
}

TEST_CASE("A recycled pid is not mistaken for the candidate it replaced", "[detector]") {
    Harness h;
    h.proc.add(lone_candidate(650));
    h.detector.on_exec(650, h.t0);
    FakeProcess other = lone_candidate(650, 30, true);
    other.start_time = 99999;  // exit and reuse happened without us seeing the exit
    h.proc.add(other);
    h.detector.on_timer(h.t0 + 250ms);
    CHECK(h.sink.started.empty());
    CHECK_FALSE(h.detector.is_pending(650));
}

TEST_CASE("A reported game that execs into something else is reported as exited", "[detector]") {
    Harness h;
    h.proc.add(reaper());
    h.proc.add(steam_game(700));
    h.detector.on_exec(700, h.t0);
    REQUIRE(h.sink.started.size() == 1);
    h.proc.add(
        {.pid = 700, .ppid = 100, .comm = "bash", .exe = "/usr/bin/bash", .env = {{"SteamAppId", "570"}}});
    h.detector.on_exec(700, h.t0 + 5s);
    CHECK(h.sink.exited == std::vector<pid_t>{700});
}

TEST_CASE("A GameMode registration reports the process; unregistering keeps it until exit", "[detector]") {
    Harness h;
    h.proc.add({.pid = 800, .comm = "supertux2", .exe = "/usr/games/supertux2"});
    h.detector.on_exec(800, h.t0);
    CHECK(h.sink.started.empty());
    h.detector.on_gamemode_registered(800, h.t0 + 2s);
    REQUIRE(h.sink.started.size() == 1);
    CHECK(h.sink.started[0].rule == "gamemode-registered");
    h.detector.on_gamemode_unregistered(800);
    CHECK(h.sink.exited.empty());
    CHECK(h.detector.games().size() == 1);
    h.detector.on_exit(800);
    CHECK(h.sink.exited == std::vector<pid_t>{800});
}

TEST_CASE("The start-up scan reports running games of our uid only and schedules candidates", "[detector]") {
    Harness h;
    h.proc.add(reaper());
    h.proc.add(steam_game(900));
    h.proc.add(lone_candidate(910));
    FakeProcess foreign = steam_game(920);
    foreign.uid = ::getuid() + 1;  // another user's game: not ours to hint at
    h.proc.add(foreign);
    h.proc.add(
        {.pid = 930, .comm = "firefox", .exe = "/usr/lib/firefox/firefox", .env = {{"SteamAppId", "570"}}});

    REQUIRE(h.detector.scan(h.t0).ok());
    REQUIRE(h.sink.started.size() == 1);
    CHECK(h.sink.started[0].pid == 900);
    CHECK(h.detector.is_pending(910));
    CHECK(h.detector.next_deadline() == h.t0 + 250ms);
}

TEST_CASE("A re-scan reports exits missed meanwhile, including a recycled pid", "[detector]") {
    Harness h;
    h.proc.add(reaper());
    h.proc.add(steam_game(1000));
    h.proc.add(steam_game(1010));
    REQUIRE(h.detector.scan(h.t0).ok());
    REQUIRE(h.sink.started.size() == 2);

    h.proc.remove(1000);  // exited while we were not listening
    FakeProcess reused{.pid = 1010, .comm = "cc1plus", .exe = "/usr/lib/gcc/cc1plus"};
    reused.start_time = 777777;  // a different process now holds pid 1010
    h.proc.add(reused);
    REQUIRE(h.detector.scan(h.t0 + 30s).ok());
    CHECK(h.sink.exited == std::vector<pid_t>{1000, 1010});
    CHECK(h.detector.games().empty());
}

TEST_CASE("After a restart (SIGKILL, new process) the scan re-learns the running games", "[detector]") {
    FakeProc proc;
    proc.add(reaper());
    proc.add(steam_game(1100));
    proc.add({.pid = 1110,
              .comm = "Foo.exe",
              .exe = "/usr/lib/wine/wine64-preloader",
              .args = {"Z:\\Foo.exe"},
              .env = {{"WINEPREFIX", "/p"}}});
    RuleLoad load = load_rule_dirs({gamesched::detect::testing::shipped_rules_dir()});
    const Classifier classifier(std::move(load.rules));
    ProcReader reader(proc.root());

    std::vector<pid_t> first_life, second_life;
    for (auto* learned : {&first_life, &second_life}) {  // two independent detector lifetimes
        RecordingSink sink;
        Detector detector(classifier, reader, sink, ::getuid());
        REQUIRE(detector.scan(Clock::now()).ok());
        for (const auto& game : sink.started) learned->push_back(game.pid);
    }
    CHECK(first_life == std::vector<pid_t>{1100, 1110});
    CHECK(second_life == first_life);
}

TEST_CASE("A scan over a missing /proc root fails with a message naming it", "[detector]") {
    Harness h;
    ProcReader nowhere(h.proc.root() / "nope");
    Detector detector(h.classifier, nowhere, h.sink, ::getuid());
    auto status = detector.scan(h.t0);
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().message.find("nope") != std::string::npos);
}

TEST_CASE("A Wine loader whose program shows only after exec is caught by a re-score", "[detector]") {
    Harness h;
    // At exec Wine's argv may not name the program yet; it rewrites argv and comm as it starts.
    h.proc.add({.pid = 1200,
                .comm = "wine64-preload",
                .exe = "/opt/wine/bin/wine64-preloader",
                .args = {"/opt/wine/bin/wine64-preloader", "/opt/wine/bin/wine64"},
                .env = {{"WINEPREFIX", "/p"}}});
    h.detector.on_exec(1200, h.t0);
    CHECK(h.sink.started.empty());
    REQUIRE(h.detector.is_pending(1200));

    h.proc.add({.pid = 1200,
                .comm = "Foo.exe",
                .exe = "/opt/wine/bin/wine64-preloader",
                .args = {"Z:\\games\\Foo\\Foo.exe"},
                .env = {{"WINEPREFIX", "/p"}}});
    h.detector.on_timer(h.t0 + 250ms);
    REQUIRE(h.sink.started.size() == 1);
    CHECK(h.sink.started[0].rule == "wine-program");
    CHECK(h.sink.started[0].name == "Foo");
}

TEST_CASE("A Wine service never becomes a game, however long it is watched", "[detector]") {
    Harness h;
    h.proc.add({.pid = 1300,
                .comm = "services.exe",
                .exe = "/opt/wine/bin/wine64-preloader",
                .args = {"C:\\windows\\system32\\services.exe"},
                .env = {{"WINEPREFIX", "/p"}},
                .threads = 40,
                .fds = {"/dev/dri/renderD128"}});
    h.detector.on_exec(1300, h.t0);
    CHECK_FALSE(h.detector.is_pending(1300));
    CHECK(h.sink.started.empty());
}

TEST_CASE("A lost exit event: a recycled pid that is a game again is reported anew", "[detector]") {
    Harness h;
    h.proc.add(reaper());
    h.proc.add(steam_game(1400));
    h.detector.on_exec(1400, h.t0);
    REQUIRE(h.sink.started.size() == 1);

    FakeProcess newcomer = steam_game(1400);  // the game exited unheard; its pid went to another
    newcomer.start_time = 55555;
    h.proc.add(newcomer);
    h.detector.on_exec(1400, h.t0 + 60s);
    CHECK(h.sink.exited == std::vector<pid_t>{1400});
    REQUIRE(h.sink.started.size() == 2);
    CHECK(h.sink.started[1].pid == 1400);
}

TEST_CASE("A lost exit event: check_games reports games that are gone", "[detector]") {
    Harness h;
    h.proc.add(reaper());
    h.proc.add(steam_game(1500));
    h.proc.add(steam_game(1510));
    h.detector.on_exec(1500, h.t0);
    h.detector.on_exec(1510, h.t0);
    REQUIRE(h.sink.started.size() == 2);
    h.detector.check_games();
    CHECK(h.sink.exited.empty());  // both still there

    h.proc.remove(1510);
    h.detector.check_games();
    CHECK(h.sink.exited == std::vector<pid_t>{1510});
    CHECK(h.detector.games().size() == 1);
}

TEST_CASE("The user's PipeWire and PulseAudio are named as audio servers, at exec and at every scan",
          "[detector][desktop]") {
    Harness h;
    h.proc.add({.pid = 500, .comm = "pipewire", .exe = "/usr/bin/pipewire", .args = {"/usr/bin/pipewire"}});
    // pipewire-pulse is a link to the same program: the exe names pipewire.
    h.proc.add(
        {.pid = 501, .comm = "pipewire-pulse", .exe = "/usr/bin/pipewire", .args = {"pipewire-pulse"}});
    h.proc.add({.pid = 502, .comm = "pulseaudio", .exe = "/usr/bin/pulseaudio"});
    h.proc.add({.pid = 503, .comm = "wireplumber", .exe = "/usr/bin/wireplumber"});  // not the mixer
    h.detector.on_exec(500, h.t0);
    CHECK(h.sink.audio == std::vector<pid_t>{500});
    REQUIRE(h.detector.scan(h.t0 + 1s));  // after a reconnect: named again (a restarted core forgot)
    std::sort(h.sink.audio.begin(), h.sink.audio.end());
    CHECK(h.sink.audio == std::vector<pid_t>{500, 500, 501, 502});
    CHECK(h.sink.started.empty());
}

TEST_CASE("Another user's audio server is not named", "[detector][desktop]") {
    Harness h;
    h.proc.add({.pid = 510, .uid = ::getuid() + 1, .comm = "pipewire", .exe = "/usr/bin/pipewire"});
    h.detector.on_exec(510, h.t0);
    REQUIRE(h.detector.scan(h.t0));
    CHECK(h.sink.audio.empty());
}
