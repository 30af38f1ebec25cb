// gameschedctl's live view from a snapshot shaped as the core sends it (get_status on
// control.sock plus a stats sample; the D-Bus bridge's GetStats has the same shape).
#include "tools/ctl/live_view.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

using namespace gamesched::ctl;
using Catch::Matchers::ContainsSubstring;
using Json = nlohmann::json;

namespace {

Json snapshot() {
    // render: 10 waits, 9 under 4 µs (bucket 2), one in [256, 512) µs (bucket 9).
    Json render_hist = Json::array();
    for (int b = 0; b < 16; ++b) render_hist.push_back(b == 2 ? 9 : b == 9 ? 1 : 0);
    return Json::parse(R"({
      "server": {"games": [{"pid": 4242, "owner_uid": 1000, "sender_uid": 1000, "held": true,
                            "name": "synthetic-game", "source": "gameschedctl", "confidence": 100}],
                 "focus": {"pid": 4242, "owner_uid": 1000, "sender_uid": 1000, "held": false}},
      "scheduler": {"mode": "gaming", "focus_pid": 4242,
                    "kernel": {"sched_ext": {"state": "enabled", "ops": "gamesched"}}},
      "stats": {"sched_ext": {"state": "enabled", "ops": "gamesched"},
                "counters": {"boosted": 250, "preempt_kick": 20},
                "cpu": {"interval_ms": 500.0},
                "wait": {"worker": {"n": 30, "p50_us": 8, "p99_us": 128},
                         "input": {"n": 4, "p50_us": 2, "p99_us": 16}},
                "game_threads": [{"tid": 4243, "tgid": 4242, "role": "render"},
                                 {"tid": 4244, "tgid": 4242, "role": "input"},
                                 {"tid": 4245, "tgid": 4242, "role": "worker"},
                                 {"tid": 4246, "tgid": 4242, "role": "worker"},
                                 {"tid": 5000, "tgid": 4999, "role": "render"}],
                "games": [{"pid": 4242, "cpu_ms": 250.0, "boosts": 100, "preempt_kicks": 3,
                           "roles": {"render": {"wait_hist": [], "wakeups": 10}}}]}
    })")
        .patch(Json::array({{{"op", "replace"},
                             {"path", "/stats/games/0/roles/render/wait_hist"},
                             {"value", render_hist}}}));
}

}  // namespace

TEST_CASE("the live view gathers state, mode, focus, rates and each game's roles") {
    const LiveView view = make_live_view(snapshot());
    CHECK(view.state == "enabled");
    CHECK(view.ops == "gamesched");
    CHECK(view.mode == "gaming");
    CHECK(view.focus_pid == 4242);
    CHECK(view.boosts_per_s == 500.0);  // 250 over 0.5 s
    CHECK(view.preemptions_per_s == 40.0);
    REQUIRE(view.all_roles.size() == 2);
    CHECK(view.all_roles[0].role == "input");  // the player's order, not the alphabet's
    REQUIRE(view.games.size() == 1);
    const GameRow& game = view.games[0];
    CHECK(game.pid == 4242);
    CHECK(game.uid == 1000);
    CHECK(game.focused);
    CHECK(game.cpu_pct == 50.0);
    REQUIRE(game.roles.size() == 3);  // the other tgid's thread is not this game's
    CHECK(game.roles[0].role == "input");
    CHECK(game.roles[1].role == "render");
    CHECK(game.roles[1].threads == 1);
    CHECK(game.roles[1].waits == 10);
    CHECK(game.roles[1].p50_us == 4);
    CHECK(game.roles[1].p99_us == 512);
    CHECK(game.roles[2].role == "worker");
    CHECK(game.roles[2].threads == 2);
    CHECK(game.roles[2].waits == 0);
}

TEST_CASE("the rendered screen shows a row per role of each game and fits the width") {
    const auto lines = render(make_live_view(snapshot()), "control.sock", 100);
    std::string screen;
    for (const auto& line : lines) {
        CHECK(line.size() <= 100);
        screen += line + "\n";
    }
    INFO(screen);
    CHECK_THAT(lines[0], ContainsSubstring("state enabled (gamesched)"));
    CHECK_THAT(lines[0], ContainsSubstring("mode gaming"));
    CHECK_THAT(screen, ContainsSubstring("boosts 500.0/s  preemptions 40.0/s  focus 4242"));
    CHECK_THAT(screen, ContainsSubstring("*synthetic-game"));
    CHECK_THAT(screen, ContainsSubstring("render       1      4us    512us"));
    CHECK_THAT(screen, ContainsSubstring("worker       2        -        -"));
}

TEST_CASE("without a sample or a core report the view says so instead of inventing numbers") {
    const LiveView view = make_live_view(Json::parse(R"({"server": {"games": [], "focus": null}})"));
    CHECK(view.state == "unknown");
    CHECK_FALSE(view.have_sample);
    const auto lines = render(view, "D-Bus", 0);
    CHECK_THAT(lines[1], ContainsSubstring("waiting for the first statistics sample"));
    const Json line = to_json(view);
    CHECK(line["games"].empty());
    CHECK(line["boosts_per_s"] == 0.0);
}

TEST_CASE("a game the sample does not cover yet, and fields of the wrong type, leave gaps, not errors") {
    // The core holds the game before its first sample lists it (a registration between samples).
    Json fresh = snapshot();
    fresh["server"]["games"].push_back({{"pid", 777}, {"owner_uid", 0}, {"name", "just-registered"}});
    LiveView view = make_live_view(fresh);
    REQUIRE(view.games.size() == 2);
    CHECK(view.games[1].pid == 777);
    CHECK(view.games[1].cpu_pct == 0.0);
    CHECK(view.games[1].roles.empty());

    const Json odd = Json::parse(R"({"server": {"games": [7, {"pid": "x"}]},
        "stats": {"cpu": {"interval_ms": 100}, "wait": {"render": 3, "input": {"n": -1}},
                  "game_threads": [1, {"tgid": 7}], "games": [null, {"pid": 7, "roles": []}]}})");
    view = make_live_view(odd);
    CHECK(view.games.size() == 2);
    CHECK(view.all_roles.size() == 2);
    CHECK_FALSE(render(view, "control.sock", 80).empty());
}
