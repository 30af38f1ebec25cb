// gamesched-detect --once, over fixture /proc trees and over the live /proc; usage errors.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>

#include "tests/unit/detect/binary_harness.h"

using namespace gamesched::detect::testing;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("--once on the live /proc finds a Steam-style and a Wine-style launch", "[binary][live]") {
    LiveLaunches live;
    Child child({"--once", "--rules-dir", GAMESCHED_TEST_RULES_DIR});
    REQUIRE(child.wait() == 0);
    const auto reports = nlohmann::json::parse(child.out());
    const auto steam = find_pid(reports, live.steam_game());
    REQUIRE(steam.is_object());
    CHECK(steam["rule"] == "steam-game");
    CHECK(steam["steam_app_id"] == 570);
    CHECK(steam["name"] == "mygame");
    const auto wine = find_pid(reports, live.wine_game());
    REQUIRE(wine.is_object());
    CHECK(wine["rule"] == "wine-program");
    CHECK(wine["name"] == "Foo");
    // Whatever else runs here (a developer's desktop may have a real game open), init and this
    // test are not games.
    CHECK(find_pid(reports, 1).is_null());
    CHECK(find_pid(reports, ::getpid()).is_null());
}

TEST_CASE("--once prints the games of a fixture /proc as JSON", "[binary]") {
    FakeProc proc;
    add_steam_game(proc, 200);
    proc.add({.pid = 300,
              .comm = "Foo.exe",
              .exe = "/usr/lib/wine/wine64-preloader",
              .args = {"Z:\\g\\Foo.exe"},
              .env = {{"WINEPREFIX", "/p"}}});
    proc.add({.pid = 400, .comm = "cc1plus", .exe = "/usr/lib/gcc/cc1plus"});
    proc.add(
        {.pid = 500, .comm = "steamwebhelper", .exe = "/s/steamwebhelper", .env = {{"SteamAppId", "570"}}});
    Child child({"--once", "--proc-root", proc.root().string(), "--rules-dir", GAMESCHED_TEST_RULES_DIR});
    REQUIRE(child.wait() == 0);
    const auto json = nlohmann::json::parse(child.out());
    REQUIRE(json.is_array());
    REQUIRE(json.size() == 2);
    CHECK(json[0] == nlohmann::json{{"pid", 200},
                                    {"steam_app_id", 570},
                                    {"name", "dota2"},
                                    {"rule", "steam-game"},
                                    {"confidence", 75}});
    CHECK(json[1] == nlohmann::json{{"pid", 300},
                                    {"steam_app_id", nullptr},
                                    {"name", "Foo"},
                                    {"rule", "wine-program"},
                                    {"confidence", 70}});
}

TEST_CASE("--once with no games prints an empty array", "[binary]") {
    FakeProc proc;
    proc.add({.pid = 10, .comm = "bash", .exe = "/usr/bin/bash"});
    Child child({"--once", "--proc-root", proc.root().string(), "--rules-dir", GAMESCHED_TEST_RULES_DIR});
    REQUIRE(child.wait() == 0);
    CHECK(nlohmann::json::parse(child.out()) == nlohmann::json::array());
}

TEST_CASE("--once reports a bad rule file by name and line and still uses the others", "[binary]") {
    FakeProc proc;
    add_steam_game(proc, 200);
    TempDir user;
    user.write("50-bad.json",
               "{\"rules\": [\n  {\"name\": \"x\", \"verdict\": \"game\",\n   \"confidence\": 500,"
               " \"match\": {\"exe\": \"x\"}}\n]}\n");
    Child child({"--once", "--proc-root", proc.root().string(), "--rules-dir", GAMESCHED_TEST_RULES_DIR,
                 "--rules-dir", user.path().string()});
    REQUIRE(child.wait() == 0);
    CHECK_THAT(child.err(),
               ContainsSubstring((user.path() / "50-bad.json").string() + ":2: rule 'x': confidence"));
    CHECK(nlohmann::json::parse(child.out()).size() == 1);
}

TEST_CASE("Usage errors and an unusable /proc root fail with a message that says what to do", "[binary]") {
    Child unknown({"--frobnicate"});
    CHECK(unknown.wait() == 2);
    CHECK_THAT(unknown.err(), ContainsSubstring("unknown option '--frobnicate'; see --help"));

    Child help({"--help"});
    CHECK(help.wait() == 0);
    CHECK_THAT(help.out(), ContainsSubstring("--proc-root DIR"));

    Child missing({"--once", "--proc-root", "/nonexistent/proc", "--rules-dir", GAMESCHED_TEST_RULES_DIR});
    CHECK(missing.wait() == 1);
    CHECK_THAT(missing.err(), ContainsSubstring("/nonexistent/proc"));

    TempDir empty;
    Child no_rules({"--once", "--rules-dir", empty.path().string()});
    CHECK(no_rules.wait() == 1);
    CHECK_THAT(no_rules.err(), ContainsSubstring("no detection rules loaded"));
}
