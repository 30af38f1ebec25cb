// Every shipped rule on fixture /proc trees, positives and negatives, as the detector sees them
// at exec time (fds are read for candidates, as the detector does).
#include <catch2/catch_test_macros.hpp>

#include <set>

#include "helpers/detect/classifier.h"
#include "helpers/detect/rule_loader.h"
#include "tests/unit/detect/fake_proc.h"

using namespace gamesched::detect;
using gamesched::detect::testing::FakeProc;
using gamesched::detect::testing::FakeProcess;

namespace {

const std::string kSteamDir = "/home/u/.local/share/Steam";
const std::string kProton = "/home/u/.local/share/Steam/steamapps/common/Proton 9.0/files/bin/";

Classifier shipped_classifier() {
    RuleLoad load = load_rule_dirs({gamesched::detect::testing::shipped_rules_dir()});
    REQUIRE(load.errors.empty());
    return Classifier(std::move(load.rules));
}

struct Outcome {
    Verdict verdict;
    bool certain = false;
    bool candidate = false;
};

Outcome classify(const FakeProc& proc, pid_t pid, const std::set<pid_t>& gamemode = {}) {
    static const Classifier classifier = shipped_classifier();
    ProcReader reader(proc.root());
    auto info = reader.read(pid, true);
    REQUIRE(info.ok());
    MatchContext ctx(*info, reader, gamemode);
    Outcome out;
    out.verdict = classifier.classify(ctx);
    out.certain = classifier.certain(out.verdict);
    out.candidate = classifier.candidate(out.verdict);
    return out;
}

// The process tree Steam builds for a launch: steam -> reaper SteamLaunch AppId=N -- ...
void add_steam_tree(FakeProc& proc, const std::string& reaper_extra = "") {
    proc.add({.pid = 1000, .comm = "steam", .exe = kSteamDir + "/ubuntu12_32/steam",
              .args = {kSteamDir + "/ubuntu12_32/steam", "-srt-logger-opened"}, .threads = 60,
              .fds = {"/dev/dri/renderD128"}});
    std::vector<std::string> reaper_args = {kSteamDir + "/ubuntu12_32/reaper", "SteamLaunch", "AppId=1091500"};
    if (!reaper_extra.empty()) reaper_args.push_back(reaper_extra);
    reaper_args.insert(reaper_args.end(), {"--", kSteamDir + "/ubuntu12_32/steam-launch-wrapper", "--",
                                           "/games/Cyberpunk/bin/Cyberpunk2077"});
    proc.add({.pid = 1100, .ppid = 1000, .comm = "reaper", .exe = kSteamDir + "/ubuntu12_32/reaper",
              .args = reaper_args, .env = {{"SteamAppId", "1091500"}, {"SteamGameId", "1091500"}}});
    proc.add({.pid = 1110, .ppid = 1100, .comm = "steam-launch-wr", .exe = "/usr/bin/bash",
              .args = {"/bin/sh", kSteamDir + "/ubuntu12_32/steam-launch-wrapper"},
              .env = {{"SteamAppId", "1091500"}}});
}

}  // namespace

// ---- steam-game ---------------------------------------------------------------------------------

TEST_CASE("steam-game: a native game under reaper with SteamAppId is certain at exec", "[shipped][steam]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 1200, .ppid = 1110, .comm = "Cyberpunk2077", .exe = "/games/Cyberpunk/bin/Cyberpunk2077",
              .args = {"/games/Cyberpunk/bin/Cyberpunk2077"}, .env = {{"SteamAppId", "1091500"}}, .threads = 2});
    const Outcome out = classify(proc, 1200);
    CHECK(out.certain);
    CHECK(out.verdict.rule == "steam-game");
    CHECK(out.verdict.confidence == 75);
    CHECK(out.verdict.steam_app_id == 1091500u);
    CHECK(out.verdict.display_name == "Cyberpunk2077");
}

TEST_CASE("steam-game: the app id comes from the reaper when the environment has none", "[shipped][steam]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 1201, .ppid = 1110, .comm = "game", .exe = "/games/g/game", .args = {"/games/g/game"}});
    const Outcome out = classify(proc, 1201);
    CHECK(out.certain);
    CHECK(out.verdict.steam_app_id == 1091500u);
}

TEST_CASE("steam-game: SteamAppId without a reaper is a candidate until it uses the GPU", "[shipped][steam]") {
    FakeProc proc;
    proc.add({.pid = 1300, .comm = "game", .exe = "/games/g/game", .env = {{"SteamGameId", "440"}}});
    Outcome out = classify(proc, 1300);
    CHECK(out.candidate);
    CHECK(out.verdict.confidence == 60);
    CHECK(out.verdict.steam_app_id == 440u);

    proc.add({.pid = 1300, .comm = "game", .exe = "/games/g/game", .env = {{"SteamGameId", "440"}}, .threads = 12,
              .fds = {"/dev/dri/card0", "/dev/dri/renderD128"}});
    out = classify(proc, 1300);
    CHECK(out.certain);
    CHECK(out.verdict.confidence == 80);
}

TEST_CASE("steam-game: an app-steam-app<id> scope gives the app id", "[shipped][steam]") {
    FakeProc proc;
    proc.add({.pid = 1310, .comm = "game", .exe = "/games/g/game",
              .cgroup = "/user.slice/user-1000.slice/user@1000.service/app.slice/app-steam-app620-1234.scope"});
    const Outcome out = classify(proc, 1310);
    CHECK(out.candidate);
    CHECK(out.verdict.steam_app_id == 620u);
}

TEST_CASE("steam-client: the Steam client itself is not a game", "[shipped][steam][negative]") {
    FakeProc proc;
    add_steam_tree(proc);
    const Outcome out = classify(proc, 1000);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "steam-client");
}

TEST_CASE("steam-client: steamwebhelper is not a game, even with a game's environment and the GPU",
          "[shipped][steam][negative]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 1400, .ppid = 1100, .comm = "steamwebhelper",
              .exe = kSteamDir + "/ubuntu12_64/steamwebhelper", .args = {"./steamwebhelper", "-lang=en_US"},
              .env = {{"SteamAppId", "1091500"}}, .threads = 30, .fds = {"/dev/dri/renderD128"}});
    const Outcome out = classify(proc, 1400);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "steam-client");
}

TEST_CASE("steam-client: reaper, the launch wrapper and pressure-vessel are not games", "[shipped][steam][negative]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 1500, .ppid = 1110, .comm = "pv-adverb",
              .exe = kSteamDir + "/steamapps/common/SteamLinuxRuntime_sniper/pressure-vessel/libexec/pv-adverb",
              .args = {"pv-adverb"}, .env = {{"SteamAppId", "1091500"}}});
    CHECK(classify(proc, 1100).verdict.rule == "steam-client");
    CHECK_FALSE(classify(proc, 1100).verdict.game);
    CHECK_FALSE(classify(proc, 1110).verdict.game);  // a shell script: interpreters rule
    CHECK(classify(proc, 1500).verdict.rule == "steam-client");
    CHECK_FALSE(classify(proc, 1500).verdict.game);
}

TEST_CASE("steam-install-run: processes under 'reaper ... Install=1' are not games", "[shipped][steam][negative]") {
    FakeProc proc;
    add_steam_tree(proc, "Install=1");
    proc.add({.pid = 1600, .ppid = 1110, .comm = "setup", .exe = "/games/Cyberpunk/setup",
              .args = {"/games/Cyberpunk/setup"}, .env = {{"SteamAppId", "1091500"}}, .threads = 20,
              .fds = {"/dev/dri/renderD128"}});
    const Outcome out = classify(proc, 1600);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "steam-install-run");
}

// ---- Wine / Proton ------------------------------------------------------------------------------

TEST_CASE("wine-program: a Proton game exe with WINEPREFIX is certain at exec", "[shipped][wine]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 2000, .ppid = 1110, .comm = "Cyberpunk2077.e", .exe = kProton + "wine64-preloader",
              .args = {"Z:\\games\\Cyberpunk\\bin\\x64\\Cyberpunk2077.exe", "--launcher-skip"},
              .env = {{"WINEPREFIX", "/home/u/pfx"}, {"SteamAppId", "1091500"}}});
    const Outcome out = classify(proc, 2000);
    CHECK(out.certain);
    // wine-program proposes 70 (WINEPREFIX); steam-game's 75 (app id + reaper) outranks it.
    CHECK(out.verdict.rule == "steam-game");
    CHECK(out.verdict.confidence == 75);
    CHECK(out.verdict.display_name == "Cyberpunk2077");
    CHECK(out.verdict.steam_app_id == 1091500u);
}

TEST_CASE("wine-program: a plain Wine game (no Steam) with WINEPREFIX", "[shipped][wine]") {
    FakeProc proc;
    proc.add({.pid = 2010, .comm = "wine64-preload", .exe = "/usr/lib/wine/wine64-preloader",
              .args = {"/usr/lib/wine/wine64-preloader", "/usr/lib/wine/wine64", "/home/u/games/Foo.exe"},
              .env = {{"WINEPREFIX", "/home/u/.wine"}}});
    const Outcome out = classify(proc, 2010);
    CHECK(out.certain);
    CHECK(out.verdict.rule == "wine-program");
    CHECK(out.verdict.confidence == 70);
    CHECK(out.verdict.display_name == "Foo");
    CHECK_FALSE(out.verdict.steam_app_id.has_value());
}

TEST_CASE("wine-program: a .exe argument to a non-Wine program is not enough", "[shipped][wine][negative]") {
    FakeProc proc;
    proc.add({.pid = 2020, .comm = "7z", .exe = "/usr/bin/7z", .args = {"7z", "x", "setup.exe"},
              .env = {{"WINEPREFIX", "/home/u/.wine"}}});
    CHECK_FALSE(classify(proc, 2020).verdict.game);
}

TEST_CASE("wine-infrastructure: wineserver is not a game", "[shipped][wine][negative]") {
    FakeProc proc;
    proc.add({.pid = 2100, .comm = "wineserver", .exe = kProton + "wineserver", .args = {kProton + "wineserver"},
              .env = {{"WINEPREFIX", "/home/u/pfx"}, {"SteamAppId", "1091500"}}, .threads = 3});
    const Outcome out = classify(proc, 2100);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "wine-infrastructure");
}

TEST_CASE("wine-infrastructure: services.exe under wine-preloader is not a game", "[shipped][wine][negative]") {
    FakeProc proc;
    proc.add({.pid = 2200, .comm = "wine-preloader", .exe = "/usr/lib/wine/wine-preloader",
              .args = {"/usr/lib/wine/wine-preloader", "/usr/lib/wine/wine"}, .env = {{"WINEPREFIX", "/p"}}});
    proc.add({.pid = 2210, .ppid = 2200, .comm = "services.exe", .exe = "/usr/lib/wine/wine-preloader",
              .args = {"C:\\windows\\system32\\services.exe"}, .env = {{"WINEPREFIX", "/p"}}, .threads = 9});
    for (const char* infra : {"winedevice.exe", "plugplay.exe", "explorer.exe", "rpcss.exe", "svchost.exe",
                              "conhost.exe", "winemenubuilder.exe", "tabtip.exe", "start.exe"}) {
        proc.add({.pid = 2220, .ppid = 2200, .comm = infra, .exe = "/usr/lib/wine/wine-preloader",
                  .args = {std::string("C:\\windows\\system32\\") + infra}, .env = {{"WINEPREFIX", "/p"}}});
        INFO(infra);
        CHECK(classify(proc, 2220).verdict.rule == "wine-infrastructure");
        CHECK_FALSE(classify(proc, 2220).verdict.game);
    }
    const Outcome out = classify(proc, 2210);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "wine-infrastructure");
}

TEST_CASE("wine-infrastructure: Proton's steam.exe shim is not the game it starts", "[shipped][wine][negative]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 2300, .ppid = 1110, .comm = "steam.exe", .exe = kProton + "wine64-preloader",
              .args = {"C:\\windows\\system32\\steam.exe", "Z:\\games\\Foo\\Foo.exe"},
              .env = {{"WINEPREFIX", "/p"}, {"SteamAppId", "1091500"}}});
    const Outcome out = classify(proc, 2300);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "wine-infrastructure");
}

TEST_CASE("windows-launchers: a store launcher under Wine is not a game", "[shipped][wine][negative]") {
    FakeProc proc;
    proc.add({.pid = 2400, .comm = "EpicGamesLaunc", .exe = "/usr/lib/wine/wine64-preloader",
              .args = {"C:\\Program Files (x86)\\Epic Games\\Launcher\\EpicGamesLauncher.exe"},
              .env = {{"WINEPREFIX", "/p"}}, .threads = 50, .fds = {"/dev/dri/renderD128"}});
    const Outcome out = classify(proc, 2400);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "windows-launchers");
}

// ---- Lutris, Heroic ---------------------------------------------------------------------------------

TEST_CASE("lutris-game: LUTRIS_GAME_UUID plus a lutris-wrapper ancestor is certain at exec", "[shipped][lutris]") {
    FakeProc proc;
    proc.add({.pid = 3000, .comm = "lutris-wrapper", .exe = "/usr/bin/python3.11",
              .args = {"python3", "/usr/share/lutris/bin/lutris-wrapper", "Celeste", "0", "0", "/games/Celeste"},
              .env = {{"LUTRIS_GAME_UUID", "0b2c"}}});
    proc.add({.pid = 3010, .ppid = 3000, .comm = "Celeste", .exe = "/games/Celeste/Celeste",
              .args = {"/games/Celeste/Celeste"}, .env = {{"LUTRIS_GAME_UUID", "0b2c"}}});
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
    proc.add({.pid = 3200, .comm = "heroic", .exe = "/opt/Heroic/heroic", .args = {"/opt/Heroic/heroic"},
              .threads = 40, .fds = {"/dev/dri/renderD128"}});
    // Heroic runs Proton games with SteamAppId=0 and SteamGameId=heroic-<id>: no Steam app id.
    proc.add({.pid = 3210, .ppid = 3200, .comm = "Game.exe", .exe = "/opt/proton/files/bin/wine64-preloader",
              .args = {"Z:\\games\\Game\\Game.exe"},
              .env = {{"HEROIC_APP_NAME", "Quail"}, {"HEROIC_APP_RUNNER", "legendary"},
                      {"HEROIC_APP_SOURCE", "epic"}, {"SteamAppId", "0"}, {"SteamGameId", "heroic-Game"}}});
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
    proc.add({.pid = 3310, .ppid = 3300, .comm = "helper", .exe = "/opt/Heroic/helper", .env = {{"HOME", "/h"}}});
    CHECK_FALSE(classify(proc, 3310).verdict.game);
}

// ---- gamescope, GameMode ------------------------------------------------------------------------------

TEST_CASE("gamescope-child: gamescope's direct child is certain; its Xwayland is not a game", "[shipped][gamescope]") {
    FakeProc proc;
    proc.add({.pid = 4000, .comm = "gamescope", .exe = "/usr/bin/gamescope",
              .args = {"gamescope", "-W", "2560", "--", "./game"}, .threads = 20});
    proc.add({.pid = 4010, .ppid = 4000, .comm = "Xwayland", .exe = "/usr/bin/Xwayland", .args = {"Xwayland", ":1"}});
    proc.add({.pid = 4020, .ppid = 4000, .comm = "game", .exe = "/games/g/game", .args = {"./game"}});
    Outcome out = classify(proc, 4020);
    CHECK(out.certain);
    CHECK(out.verdict.rule == "gamescope-child");

    out = classify(proc, 4010);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "gamescope-infrastructure");
    CHECK(classify(proc, 4000).verdict.rule == "gamescope-infrastructure");
}

TEST_CASE("gamescope-child: a deeper descendant becomes certain once it uses the GPU", "[shipped][gamescope]") {
    FakeProc proc;
    proc.add({.pid = 4100, .comm = "gamescope", .exe = "/usr/bin/gamescope"});
    proc.add({.pid = 4110, .ppid = 4100, .comm = "launcher", .exe = "/games/g/launcher"});
    proc.add({.pid = 4120, .ppid = 4110, .comm = "game", .exe = "/games/g/game"});
    CHECK(classify(proc, 4120).candidate);
    proc.add({.pid = 4120, .ppid = 4110, .comm = "game", .exe = "/games/g/game", .fds = {"/dev/dri/renderD128"}});
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

TEST_CASE("gamemode-registered: a registered shell wrapper stays not a game", "[shipped][gamemode][negative]") {
    FakeProc proc;
    proc.add({.pid = 5100, .comm = "bash", .exe = "/usr/bin/bash", .args = {"bash", "./start.sh"}});
    const Outcome out = classify(proc, 5100, {5100});
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "interpreters-and-wrappers");
}

// ---- lists -------------------------------------------------------------------------------------------------

TEST_CASE("interpreters-and-wrappers: Proton's python script is not the game it runs", "[shipped][lists][negative]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 6000, .ppid = 1110, .comm = "python3", .exe = "/usr/bin/python3.11",
              .args = {"python3", kProton + "../../proton", "waitforexitandrun", "/games/Foo/Foo.exe"},
              .env = {{"SteamAppId", "1091500"}, {"WINEPREFIX", "/p"}}, .threads = 2});
    const Outcome out = classify(proc, 6000);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "interpreters-and-wrappers");
}

TEST_CASE("desktop-apps: a browser a game opened is not a game", "[shipped][lists][negative]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 6100, .ppid = 1110, .comm = "firefox-esr", .exe = "/usr/lib/firefox-esr/firefox-esr",
              .args = {"/usr/lib/firefox-esr/firefox-esr", "https://store.example/"},
              .env = {{"SteamAppId", "1091500"}}, .threads = 80, .fds = {"/dev/dri/renderD128"}});
    proc.add({.pid = 6110, .comm = "firefox", .exe = "/usr/lib/firefox/firefox", .threads = 80,
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
    proc.add({.pid = 6210, .ppid = 6200, .comm = "cc1plus", .exe = "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus",
              .args = {"/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus", "-quiet", "game.cpp", "-o", "game.exe"},
              .threads = 1});
    const Outcome out = classify(proc, 6210);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "dev-tools");
}

TEST_CASE("A native program with no marker matches nothing", "[shipped][negative]") {
    FakeProc proc;
    proc.add({.pid = 6300, .comm = "blender", .exe = "/usr/bin/blender", .threads = 40, .fds = {"/dev/dri/renderD128"}});
    const Outcome out = classify(proc, 6300);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule.empty());
}

TEST_CASE("Unreadable environ: environment rules cannot match, the rest still decide", "[shipped][negative]") {
    FakeProc proc;
    proc.add({.pid = 6400, .comm = "game", .exe = "/games/g/game", .env = {{"SteamAppId", "570"}},
              .environ_unreadable = true});
    proc.add({.pid = 6410, .comm = "Foo.exe", .exe = "/usr/lib/wine/wine64-preloader", .args = {"Z:\\Foo.exe"},
              .env = {{"WINEPREFIX", "/p"}}, .environ_unreadable = true});
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
    CHECK(wine.game);  // the exe and argv still say "Wine program"...
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
    proc.add({.pid = 7020, .ppid = 1110, .comm = "Cyberpunk2077", .exe = "/games/Cyberpunk/bin/Cyberpunk2077",
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

TEST_CASE("Per-exec cost: a deny-listed compiler is settled without reading its ancestors", "[shipped][cost]") {
    FakeProc proc;
    proc.add({.pid = 8000, .comm = "bash", .exe = "/usr/bin/bash"});
    proc.add({.pid = 8010, .ppid = 8000, .comm = "make", .exe = "/usr/bin/make"});
    proc.add({.pid = 8020, .ppid = 8010, .comm = "g++", .exe = "/usr/bin/g++-12"});
    proc.add({.pid = 8030, .ppid = 8020, .comm = "cc1plus", .exe = "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus"});
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
