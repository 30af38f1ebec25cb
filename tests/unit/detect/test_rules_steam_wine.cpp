// The shipped Steam and Wine/Proton rules on fixture /proc trees, positives and negatives, as the
// detector sees them at exec time.
#include <catch2/catch_test_macros.hpp>

#include <set>

#include "helpers/detect/classifier.h"
#include "helpers/detect/rule_loader.h"
#include "tests/unit/detect/fake_proc.h"
#include "tests/unit/detect/shipped_rules_support.h"

using namespace gamesched::detect;
using namespace gamesched::detect::testing;

// ---- steam-game ---------------------------------------------------------------------------------

TEST_CASE("steam-game: a native game under reaper with SteamAppId is certain at exec", "[shipped][steam]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 1200,
              .ppid = 1110,
              .comm = "Cyberpunk2077",
              .exe = "/games/Cyberpunk/bin/Cyberpunk2077",
              .args = {"/games/Cyberpunk/bin/Cyberpunk2077"},
              .env = {{"SteamAppId", "1091500"}},
              .threads = 2});
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

TEST_CASE("steam-game: SteamAppId without a reaper is a candidate until it uses the GPU",
          "[shipped][steam]") {
    FakeProc proc;
    proc.add({.pid = 1300, .comm = "game", .exe = "/games/g/game", .env = {{"SteamGameId", "440"}}});
    Outcome out = classify(proc, 1300);
    CHECK(out.candidate);
    CHECK(out.verdict.confidence == 60);
    CHECK(out.verdict.steam_app_id == 440u);

    proc.add({.pid = 1300,
              .comm = "game",
              .exe = "/games/g/game",
              .env = {{"SteamGameId", "440"}},
              .threads = 12,
              .fds = {"/dev/dri/card0", "/dev/dri/renderD128"}});
    out = classify(proc, 1300);
    CHECK(out.certain);
    CHECK(out.verdict.confidence == 80);
}

TEST_CASE("steam-game: an app-steam-app<id> scope gives the app id", "[shipped][steam]") {
    FakeProc proc;
    proc.add(
        {.pid = 1310,
         .comm = "game",
         .exe = "/games/g/game",
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
    proc.add({.pid = 1400,
              .ppid = 1100,
              .comm = "steamwebhelper",
              .exe = kSteamDir + "/ubuntu12_64/steamwebhelper",
              .args = {"./steamwebhelper", "-lang=en_US"},
              .env = {{"SteamAppId", "1091500"}},
              .threads = 30,
              .fds = {"/dev/dri/renderD128"}});
    const Outcome out = classify(proc, 1400);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "steam-client");
}

TEST_CASE("steam-client: reaper, the launch wrapper and pressure-vessel are not games",
          "[shipped][steam][negative]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add(
        {.pid = 1500,
         .ppid = 1110,
         .comm = "pv-adverb",
         .exe = kSteamDir + "/steamapps/common/SteamLinuxRuntime_sniper/pressure-vessel/libexec/pv-adverb",
         .args = {"pv-adverb"},
         .env = {{"SteamAppId", "1091500"}}});
    CHECK(classify(proc, 1100).verdict.rule == "steam-client");
    CHECK_FALSE(classify(proc, 1100).verdict.game);
    CHECK_FALSE(classify(proc, 1110).verdict.game);  // a shell script: interpreters rule
    CHECK(classify(proc, 1500).verdict.rule == "steam-client");
    CHECK_FALSE(classify(proc, 1500).verdict.game);
}

TEST_CASE("steam-install-run: processes under 'reaper ... Install=1' are not games",
          "[shipped][steam][negative]") {
    FakeProc proc;
    add_steam_tree(proc, "Install=1");
    proc.add({.pid = 1600,
              .ppid = 1110,
              .comm = "setup",
              .exe = "/games/Cyberpunk/setup",
              .args = {"/games/Cyberpunk/setup"},
              .env = {{"SteamAppId", "1091500"}},
              .threads = 20,
              .fds = {"/dev/dri/renderD128"}});
    const Outcome out = classify(proc, 1600);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "steam-install-run");
}

// ---- Wine / Proton ------------------------------------------------------------------------------

TEST_CASE("wine-program: a Proton game exe with WINEPREFIX is certain at exec", "[shipped][wine]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 2000,
              .ppid = 1110,
              .comm = "Cyberpunk2077.e",
              .exe = kProton + "wine64-preloader",
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
    proc.add({.pid = 2010,
              .comm = "wine64-preload",
              .exe = "/usr/lib/wine/wine64-preloader",
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
    proc.add({.pid = 2020,
              .comm = "7z",
              .exe = "/usr/bin/7z",
              .args = {"7z", "x", "setup.exe"},
              .env = {{"WINEPREFIX", "/home/u/.wine"}}});
    CHECK_FALSE(classify(proc, 2020).verdict.game);
}

TEST_CASE("wine-infrastructure: wineserver is not a game", "[shipped][wine][negative]") {
    FakeProc proc;
    proc.add({.pid = 2100,
              .comm = "wineserver",
              .exe = kProton + "wineserver",
              .args = {kProton + "wineserver"},
              .env = {{"WINEPREFIX", "/home/u/pfx"}, {"SteamAppId", "1091500"}},
              .threads = 3});
    const Outcome out = classify(proc, 2100);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "wine-infrastructure");
}

TEST_CASE("wine-infrastructure: services.exe under wine-preloader is not a game",
          "[shipped][wine][negative]") {
    FakeProc proc;
    proc.add({.pid = 2200,
              .comm = "wine-preloader",
              .exe = "/usr/lib/wine/wine-preloader",
              .args = {"/usr/lib/wine/wine-preloader", "/usr/lib/wine/wine"},
              .env = {{"WINEPREFIX", "/p"}}});
    proc.add({.pid = 2210,
              .ppid = 2200,
              .comm = "services.exe",
              .exe = "/usr/lib/wine/wine-preloader",
              .args = {"C:\\windows\\system32\\services.exe"},
              .env = {{"WINEPREFIX", "/p"}},
              .threads = 9});
    for (const char* infra : {"winedevice.exe", "plugplay.exe", "explorer.exe", "rpcss.exe", "svchost.exe",
                              "conhost.exe", "winemenubuilder.exe", "tabtip.exe", "start.exe"}) {
        proc.add({.pid = 2220,
                  .ppid = 2200,
                  .comm = infra,
                  .exe = "/usr/lib/wine/wine-preloader",
                  .args = {std::string("C:\\windows\\system32\\") + infra},
                  .env = {{"WINEPREFIX", "/p"}}});
        INFO(infra);
        CHECK(classify(proc, 2220).verdict.rule == "wine-infrastructure");
        CHECK_FALSE(classify(proc, 2220).verdict.game);
    }
    const Outcome out = classify(proc, 2210);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "wine-infrastructure");
}

TEST_CASE("wine-infrastructure: Proton's steam.exe shim is not the game it starts",
          "[shipped][wine][negative]") {
    FakeProc proc;
    add_steam_tree(proc);
    proc.add({.pid = 2300,
              .ppid = 1110,
              .comm = "steam.exe",
              .exe = kProton + "wine64-preloader",
              .args = {"C:\\windows\\system32\\steam.exe", "Z:\\games\\Foo\\Foo.exe"},
              .env = {{"WINEPREFIX", "/p"}, {"SteamAppId", "1091500"}}});
    const Outcome out = classify(proc, 2300);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "wine-infrastructure");
}

TEST_CASE("windows-launchers: a store launcher under Wine is not a game", "[shipped][wine][negative]") {
    FakeProc proc;
    proc.add({.pid = 2400,
              .comm = "EpicGamesLaunc",
              .exe = "/usr/lib/wine/wine64-preloader",
              .args = {"C:\\Program Files (x86)\\Epic Games\\Launcher\\EpicGamesLauncher.exe"},
              .env = {{"WINEPREFIX", "/p"}},
              .threads = 50,
              .fds = {"/dev/dri/renderD128"}});
    const Outcome out = classify(proc, 2400);
    CHECK_FALSE(out.verdict.game);
    CHECK(out.verdict.rule == "windows-launchers");
}
