// MangoHud as a detection signal (upstream scored it highest): the mangohud condition, the
// mangohud-program rule for native games run by hand under the overlay, and the bonus it gives
// the launcher rules, on fixture /proc trees.
#include <catch2/catch_test_macros.hpp>

#include "helpers/detect/facts.h"
#include "helpers/detect/process_info.h"
#include "tests/unit/detect/fake_proc.h"
#include "tests/unit/detect/shipped_rules_support.h"

using namespace gamesched::detect;
using namespace gamesched::detect::testing;

namespace {

const std::string kMangoHudLib = "/usr/lib/x86_64-linux-gnu/mangohud/libMangoHud.so";
const std::vector<std::string> kGpu = {"/dev/null", "/dev/dri/renderD128"};

// An interactive shell of the player's (no MangoHud in its environment unless given).
void add_shell(FakeProc& proc, std::map<std::string, std::string> env = {}) {
    proc.add({.pid = 900, .comm = "bash", .exe = "/usr/bin/bash", .args = {"bash"}, .env = std::move(env)});
}

ProcessInfo info_with(std::map<std::string, std::string> env, std::optional<bool> loaded) {
    ProcessInfo info;
    info.environ = std::move(env);
    info.mangohud_loaded = loaded;
    return info;
}

}  // namespace

TEST_CASE("mangohud_present: environment, preload or mapped library; unknown only when unreadable",
          "[mangohud]") {
    CHECK(mangohud_present(info_with({{"MANGOHUD", "1"}}, false)) == std::optional<bool>(true));
    CHECK(mangohud_present(info_with({{"LD_PRELOAD", "/usr/$LIB/mangohud/libMangoHud_shim.so"}}, false)) ==
          std::optional<bool>(true));
    CHECK(mangohud_present(info_with({}, true)) == std::optional<bool>(true));
    CHECK(mangohud_present(info_with({}, false)) == std::optional<bool>(false));
    CHECK(mangohud_present(info_with({{"MANGOHUD", "0"}}, false)) == std::optional<bool>(false));
    CHECK(mangohud_present(info_with({{"MANGOHUD", "1"}, {"DISABLE_MANGOHUD", "1"}}, false)) ==
          std::optional<bool>(false));
    // Mappings not read yet (at exec), environment silent: not proven absent.
    CHECK_FALSE(mangohud_present(info_with({}, std::nullopt)).has_value());
    // Environment unreadable: the mappings can still say yes, never no on their own.
    ProcessInfo hidden;
    hidden.mangohud_loaded = true;
    CHECK(mangohud_present(hidden) == std::optional<bool>(true));
    hidden.mangohud_loaded = false;
    CHECK_FALSE(mangohud_present(hidden).has_value());
}

TEST_CASE("mangohud-program: 'mangohud ./game' is a game at once", "[shipped][mangohud]") {
    FakeProc proc;
    add_shell(proc);
    FakeProcess game{.pid = 901,
                     .ppid = 900,
                     .comm = "mygame",
                     .exe = "/home/u/games/mygame/mygame.x86_64",
                     .args = {"./mygame.x86_64"},
                     .env = {{"MANGOHUD", "1"}, {"LD_PRELOAD", "libMangoHud_shim.so"}},
                     .threads = 3,
                     .mapped_files = {"/usr/lib/x86_64-linux-gnu/libc.so.6", kMangoHudLib}};
    proc.add(game);
    Outcome out = classify(proc, 901);
    CHECK(out.certain);
    CHECK(out.verdict.rule == "mangohud-program");
    CHECK(out.verdict.confidence == 70);  // preloaded, set for this program; no GPU yet

    game.fds = kGpu;
    game.threads = 12;
    proc.add(game);
    out = classify(proc, 901);
    CHECK(out.certain);
    CHECK(out.verdict.rule == "mangohud-program");
    CHECK(out.verdict.confidence == 85);
    CHECK(out.verdict.display_name == "mygame.x86_64");
}

TEST_CASE("mangohud-program: 'MANGOHUD=1 ./game' (the Vulkan layer, mapped) is a game once it draws",
          "[shipped][mangohud]") {
    FakeProc proc;
    add_shell(proc);
    FakeProcess game{
        .pid = 902, .ppid = 900, .comm = "vkgame", .exe = "/home/u/games/vkgame", .env = {{"MANGOHUD", "1"}}};
    proc.add(game);
    Outcome out = classify(proc, 902);
    CHECK(out.candidate);
    CHECK(out.verdict.confidence == 60);

    game.fds = kGpu;
    game.mapped_files = {kMangoHudLib};
    proc.add(game);
    out = classify(proc, 902);
    CHECK(out.certain);
    CHECK(out.verdict.rule == "mangohud-program");
    CHECK(out.verdict.confidence == 70);
}

TEST_CASE("mangohud-program: MANGOHUD=1 set for the whole session does not make every GPU program a game",
          "[shipped][mangohud]") {
    FakeProc proc;
    add_shell(proc, {{"MANGOHUD", "1"}});
    proc.add({.pid = 903,
              .ppid = 900,
              .comm = "vkcube",
              .exe = "/usr/bin/vkcube",
              .env = {{"MANGOHUD", "1"}},
              .threads = 10,
              .fds = kGpu,
              .mapped_files = {kMangoHudLib}});
    Outcome out = classify(proc, 903);
    CHECK_FALSE(out.certain);
    CHECK(out.candidate);
    CHECK(out.verdict.confidence == 65);

    // A browser under the same session variable stays what the desktop-apps rule says.
    proc.add({.pid = 904,
              .ppid = 900,
              .comm = "firefox",
              .exe = "/usr/lib/firefox-esr/firefox-esr",
              .env = {{"MANGOHUD", "1"}},
              .threads = 60,
              .fds = kGpu});
    out = classify(proc, 904);
    CHECK_FALSE(out.certain);
    CHECK_FALSE(out.verdict.game);
}

TEST_CASE("MangoHud raises the launcher rules' confidence, and never decides alone", "[shipped][mangohud]") {
    FakeProc proc;
    // A Steam game outside a reaper (SteamGameId only): a candidate until it draws, with or
    // without MangoHud; with it, its confidence is higher.
    proc.add({.pid = 1300, .comm = "game", .exe = "/games/g/game", .env = {{"SteamGameId", "440"}}});
    proc.add({.pid = 1301,
              .comm = "game",
              .exe = "/games/g/game",
              .env = {{"SteamGameId", "440"}, {"MANGOHUD", "1"}}});
    const Outcome plain = classify(proc, 1300);
    const Outcome overlaid = classify(proc, 1301);
    CHECK(plain.candidate);
    CHECK(overlaid.candidate);
    CHECK(overlaid.verdict.rule == "steam-game");
    CHECK(overlaid.verdict.confidence == plain.verdict.confidence + 5);

    // A Wine program with the library mapped (no variable: a Vulkan layer enabled another way).
    const std::string wine = kProton + "wine64-preloader";
    FakeProcess game{.pid = 1400,
                     .comm = "Game.exe",
                     .exe = wine,
                     .args = {"Z:\\games\\Game.exe"},
                     .env = {{"WINEPREFIX", "/home/u/pfx"}}};
    proc.add(game);
    const int without = classify(proc, 1400).verdict.confidence;
    game.mapped_files.push_back(kMangoHudLib);
    proc.add(game);
    const Outcome with = classify(proc, 1400);
    CHECK(with.verdict.rule == "wine-program");
    CHECK(with.verdict.confidence == without + 10);
}
