// The shipped launcher (Lutris, Heroic, gamescope, GameMode) and list rules on fixture /proc
// trees, positives and negatives; and what classification costs per exec.
#include <catch2/catch_test_macros.hpp>

#include <set>

#include "helpers/detect/classifier.h"
#include "helpers/detect/rule_loader.h"
#include "tests/unit/detect/fake_proc.h"
#include "tests/unit/detect/shipped_rules_support.h"

using namespace gamesched::detect;
using namespace gamesched::detect::testing;

// ---- Lutris, Heroic ---------------------------------------------------------------------------------

TEST_CASE("lutris-game: LUTRIS_GAME_UUID plus a lutris-wrapper ancestor is certain at exec",
          "[shipped][lutris]") {
    FakeProc proc;
    proc.add(
        {.pid = 3000,
         .comm = "lutris-wrapper",
         .exe = "/usr/bin/python3.11",
         .args = {"python3", "/usr/share/lutris/bin/lutris-wrapper", "Celeste", "0", "0", "/games/Celeste"},
         .env = {{"LUTRIS_GAME_UUID", "0b2c"}}});
    proc.add({.pid = 3010,
              .ppid = 3000,
              .comm = "Celeste",
              .exe = "/games/Celeste/Celeste",
              .args = {"/games/Celeste/Celeste"},
              .env = {{"LUTRIS_GAME_UUID", "0b2c"}}});
    Outcome out = classify(proc, 3010);
    CHECK(out.certain);
    CHECK(out.verdict.rule == "lutris-game");
    CHECK(out.verdict.confidence == 75);

    // The wrapper itself shares the marker but is the launcher.
    out = classify(proc, 3000);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "launcher-clients");
}

TEST_CASE("lutris-game: the environment marker alone is a candidate", "[shipped][lutris]") {
    FakeProc proc;
    proc.add({.pid = 3100, .comm = "game", .exe = "/games/g/game", .env = {{"LUTRIS_GAME_UUID", "x"}}});
    const Outcome out = classify(proc, 3100);
    CHECK(out.candidate);
    CHECK(out.verdict.rule == "lutris-game");
}

TEST_CASE("heroic-game: HEROIC_APP_NAME under a heroic ancestor is certain", "[shipped][heroic]") {
    FakeProc proc;
    proc.add({.pid = 3200,
              .comm = "heroic",
              .exe = "/opt/Heroic/heroic",
              .args = {"/opt/Heroic/heroic"},
              .threads = 40,
              .fds = {"/dev/dri/renderD128"}});
    // Heroic runs Proton games with SteamAppId=0 and SteamGameId=heroic-<id>: no Steam app id.
    proc.add({.pid = 3210,
              .ppid = 3200,
              .comm = "Game.exe",
              .exe = "/opt/proton/files/bin/wine64-preloader",
              .args = {"Z:\\games\\Game\\Game.exe"},
              .env = {{"HEROIC_APP_NAME", "Quail"},
                      {"HEROIC_APP_RUNNER", "legendary"},
                      {"HEROIC_APP_SOURCE", "epic"},
                      {"SteamAppId", "0"},
                      {"SteamGameId", "heroic-Game"}}});
    const Outcome out = classify(proc, 3210);
    CHECK(out.certain);
    CHECK(out.verdict.rule == "heroic-game");
    CHECK(out.verdict.confidence == 75);
    CHECK_FALSE(out.verdict.steam_app_id.has_value());

    const Outcome client = classify(proc, 3200);
    CHECK_FALSE(client.verdict.game);
    CHECK(client.verdict.rule == "launcher-clients");
}

TEST_CASE("heroic-game: without the Heroic environment nothing matches", "[shipped][heroic][negative]") {
    FakeProc proc;
    proc.add({.pid = 3300, .comm = "heroic", .exe = "/opt/Heroic/heroic"});
    proc.add(
        {.pid = 3310, .ppid = 3300, .comm = "helper", .exe = "/opt/Heroic/helper", .env = {{"HOME", "/h"}}});
    CHECK_FALSE(classify(proc, 3310).verdict.game);
}

// ---- gamescope, GameMode ------------------------------------------------------------------------------

TEST_CASE("gamescope-child: gamescope's direct child is certain; its Xwayland is not a game",
          "[shipped][gamescope]") {
    FakeProc proc;
    proc.add({.pid = 4000,
              .comm = "gamescope",
              .exe = "/usr/bin/gamescope",
              .args = {"gamescope", "-W", "2560", "--", "./game"},
              .threads = 20});
    proc.add({.pid = 4010,
              .ppid = 4000,
              .comm = "Xwayland",
              .exe = "/usr/bin/Xwayland",
              .args = {"Xwayland", ":1"}});
    proc.add({.pid = 4020, .ppid = 4000, .comm = "game", .exe = "/games/g/game", .args = {"./game"}});
    Outcome out = classify(proc, 4020);
    CHECK(out.certain);
    CHECK(out.verdict.rule == "gamescope-child");

    out = classify(proc, 4010);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "gamescope-infrastructure");
    CHECK(classify(proc, 4000).verdict.rule == "gamescope-infrastructure");
}

TEST_CASE("gamescope-child: a deeper descendant becomes certain once it uses the GPU",
          "[shipped][gamescope]") {
    FakeProc proc;
    proc.add({.pid = 4100, .comm = "gamescope", .exe = "/usr/bin/gamescope"});
    proc.add({.pid = 4110, .ppid = 4100, .comm = "launcher", .exe = "/games/g/launcher"});
    proc.add({.pid = 4120, .ppid = 4110, .comm = "game", .exe = "/games/g/game"});
    CHECK(classify(proc, 4120).candidate);
    proc.add(
        {.pid = 4120, .ppid = 4110, .comm = "game", .exe = "/games/g/game", .fds = {"/dev/dri/renderD128"}});
    CHECK(classify(proc, 4120).certain);
}

TEST_CASE("gamemode-registered: a GameMode registration makes a process certain", "[shipped][gamemode]") {
    FakeProc proc;
    proc.add({.pid = 5000, .comm = "supertux2", .exe = "/usr/games/supertux2", .args = {"supertux2"}});
    CHECK_FALSE(classify(proc, 5000).verdict.game);
    const Outcome out = classify(proc, 5000, {5000});
    CHECK(out.certain);
    CHECK(out.verdict.rule == "gamemode-registered");
    CHECK(out.verdict.confidence == 90);
}

TEST_CASE("gamemode-registered: a registered shell wrapper stays not a game",
          "[shipped][gamemode][negative]") {
    FakeProc proc;
    proc.add({.pid = 5100, .comm = "bash", .exe = "/usr/bin/bash", .args = {"bash", "./start.sh"}});
    const Outcome out = classify(proc, 5100, {5100});
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "interpreters-and-wrappers");
}

// ---- lists
// -------------------------------------------------------------------------------------------------

TEST_CASE("interpreters-and-wrappers: Proton's python script is not the game it runs",
          "[shipped][lists][negative]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 6000,
              .ppid = 1110,
              .comm = "python3",
              .exe = "/usr/bin/python3.11",
              .args = {"python3", kProton + "../../proton", "waitforexitandrun", "/games/Foo/Foo.exe"},
              .env = {{"SteamAppId", "1091500"}, {"WINEPREFIX", "/p"}},
              .threads = 2});
    const Outcome out = classify(proc, 6000);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "interpreters-and-wrappers");
}

TEST_CASE("desktop-apps: a browser a game opened is not a game", "[shipped][lists][negative]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 6100,
              .ppid = 1110,
              .comm = "firefox-esr",
              .exe = "/usr/lib/firefox-esr/firefox-esr",
              .args = {"/usr/lib/firefox-esr/firefox-esr", "https://store.example/"},
              .env = {{"SteamAppId", "1091500"}},
              .threads = 80,
              .fds = {"/dev/dri/renderD128"}});
    proc.add({.pid = 6110,
              .comm = "firefox",
              .exe = "/usr/lib/firefox/firefox",
              .threads = 80,
              .fds = {"/dev/dri/renderD128"}});
    Outcome out = classify(proc, 6100);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "desktop-apps");
    out = classify(proc, 6110);
    CHECK_FALSE(out.verdict.game);
}

TEST_CASE("dev-tools: a busy compiler is not a game", "[shipped][lists][negative]") {
    FakeProc proc;
    proc.add({.pid = 6200, .comm = "make", .exe = "/usr/bin/make", .args = {"make", "-j8"}});
    proc.add({.pid = 6210,
              .ppid = 6200,
              .comm = "cc1plus",
              .exe = "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus",
              .args = {"/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus", "-quiet", "game.cpp", "-o", "game.exe"},
              .threads = 1});
    const Outcome out = classify(proc, 6210);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "dev-tools");
}

TEST_CASE("A native program with no marker matches nothing", "[shipped][negative]") {
    FakeProc proc;
    proc.add({.pid = 6300,
              .comm = "blender",
              .exe = "/usr/bin/blender",
              .threads = 40,
              .fds = {"/dev/dri/renderD128"}});
    const Outcome out = classify(proc, 6300);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule.empty());
}

TEST_CASE("Unreadable environ: environment rules cannot match, the rest still decide",
          "[shipped][negative]") {
    FakeProc proc;
    proc.add({.pid = 6400,
              .comm = "game",
              .exe = "/games/g/game",
              .env = {{"SteamAppId", "570"}},
              .environ_unreadable = true});
    proc.add({.pid = 6410,
              .comm = "Foo.exe",
              .exe = "/usr/lib/wine/wine64-preloader",
              .args = {"Z:\\Foo.exe"},
              .env = {{"WINEPREFIX", "/p"}},
              .environ_unreadable = true});
    ProcReader reader(proc.root());
    std::set<pid_t> none;
    const Classifier classifier = shipped_classifier();

    auto unreadable = [&](pid_t pid) {  // root reads mode-0000 files: make it unreadable for everyone
        auto info = reader.read(pid, true);
        REQUIRE(info.ok());
        info->environ.reset();
        info->environ_errno = EACCES;
        return *info;
    };
    MatchContext steam_ctx(unreadable(6400), reader, none);
    const Verdict steam = classifier.classify(steam_ctx);
    CHECK_FALSE(steam.game);

    MatchContext wine_ctx(unreadable(6410), reader, none);
    const Verdict wine = classifier.classify(wine_ctx);
    CHECK(wine.game);              // the exe and argv still say "Wine program"...
    CHECK(wine.confidence == 60);  // ...but WINEPREFIX is unknown, so it stays a candidate
    CHECK_FALSE(classifier.certain(wine));
}

TEST_CASE("allow-list and deny-list: user overrides by rule name", "[shipped][lists]") {
    gamesched::detect::testing::TempDir user;
    user.write("50-mine.json", R"({"rules": [
        {"name": "allow-list", "verdict": "game", "confidence": 100, "match": {"name": ["MyGame", "python3*"]}},
        {"name": "deny-list", "verdict": "not_game", "confidence": 100, "match": {"name": ["Cyberpunk2077"]}}]})");
    RuleLoad load = load_rule_dirs({gamesched::detect::testing::shipped_rules_dir(), user.path()});
    REQUIRE(load.errors.empty());
    const Classifier classifier(std::move(load.rules));

    FakeProc proc;
    proc.add({.pid = 7000, .comm = "MyGame", .exe = "/home/u/MyGame"});
    proc.add({.pid = 7010, .comm = "python3", .exe = "/usr/bin/python3.11", .args = {"python3", "renpy.py"}});
    add_steam_tree(proc);
    proc.add({.pid = 7020,
              .ppid = 1110,
              .comm = "Cyberpunk2077",
              .exe = "/games/Cyberpunk/bin/Cyberpunk2077",
              .env = {{"SteamAppId", "1091500"}}});
    ProcReader reader(proc.root());
    std::set<pid_t> none;
    auto verdict = [&](pid_t pid) {
        auto info = reader.read(pid, true);
        REQUIRE(info.ok());
        MatchContext ctx(*info, reader, none);
        return classifier.classify(ctx);
    };
    CHECK(verdict(7000).rule == "allow-list");
    CHECK(classifier.certain(verdict(7000)));
    CHECK(verdict(7010).rule == "allow-list");  // 100 beats the interpreter rule's 95
    CHECK(verdict(7020).rule == "deny-list");
    CHECK_FALSE(verdict(7020).game);
}

namespace {

// Counts how often the classifier goes back to /proc (for ancestors).
struct CountingSource final : ProcessSource {
    explicit CountingSource(ProcessSource& inner) : inner(inner) {}
    gamesched::Result<ProcessInfo> read(pid_t pid, bool with_fds) override {
        ++reads;
        return inner.read(pid, with_fds);
    }
    gamesched::Result<std::vector<pid_t>> list_pids() override { return inner.list_pids(); }
    ProcessSource& inner;
    int reads = 0;
};

}  // namespace

TEST_CASE("Per-exec cost: a deny-listed compiler is settled without reading its ancestors",
          "[shipped][cost]") {
    FakeProc proc;
    proc.add({.pid = 8000, .comm = "bash", .exe = "/usr/bin/bash"});
    proc.add({.pid = 8010, .ppid = 8000, .comm = "make", .exe = "/usr/bin/make"});
    proc.add({.pid = 8020, .ppid = 8010, .comm = "g++", .exe = "/usr/bin/g++-12"});
    proc.add(
        {.pid = 8030, .ppid = 8020, .comm = "cc1plus", .exe = "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus"});
    RuleLoad load = load_rule_dirs({gamesched::detect::testing::shipped_rules_dir()});
    const Classifier classifier(std::move(load.rules));
    ProcReader reader(proc.root());
    CountingSource counting(reader);
    std::set<pid_t> none;

    auto info = reader.read(8030, false);
    REQUIRE(info.ok());
    MatchContext compiler(*info, counting, none);
    const Verdict v = classifier.classify(compiler);
    CHECK(v.rule == "dev-tools");
    CHECK(counting.reads == 0);

    // Control: a process no list settles needs its ancestors (reaper, Install=1, launchers...).
    proc.add({.pid = 8040, .ppid = 8020, .comm = "tool", .exe = "/usr/bin/tool"});
    auto tool = reader.read(8040, false);
    REQUIRE(tool.ok());
    MatchContext unknown(*tool, counting, none);
    CHECK_FALSE(classifier.classify(unknown).game);
    CHECK(counting.reads >= 3);
}
