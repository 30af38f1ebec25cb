// The collector end to end on synthetic core samples: a new game is autotuned, its profile is
// saved and applied again when it comes back, the user's tunables return when it leaves, and a
// run interrupted by the game quitting resumes.
#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "helpers/mlcollect/collector.h"
#include "helpers/mlcollect/requests.h"
#include "tests/unit/mlcollect/bowls.h"
#include "tests/unit/mlcollect/synthetic_game.h"
#include "tests/unit/mlcollect/temp_dir.h"

namespace ml = gamesched::ml;
using nlohmann::json;

namespace {

const ml::TunableValues kUser = {{"slice_us", 5000},         {"slice_min_us", 500},  {"lag_clamp_us", 40000},
                                 {"runtime_cap_us", 100000}, {"game_boost_pct", 30}, {"focus_boost_pct", 20},
                                 {"input_boost_pct", 30},    {"preempt_enabled", 1}};

// What the core would do with set_tunables: remember them (the next sample reports them).
struct FakeCore : ml::TunablesSink {
    ml::TunableValues in_force = kUser;
    int applies = 0;
    gamesched::Status apply(const ml::TunableValues& t) override {
        in_force = t;
        ++applies;
        return gamesched::Ok{};
    }
};

// The core's stats sample for the synthetic game (or no game), as pushed over control.sock.
json core_sample(SyntheticGame& game, const ml::TunableValues& in_force, bool game_running) {
    const ml::Interval iv = game.interval(in_force);
    json games = json::array();
    if (game_running) {
        const auto& g = iv.games[0];
        json roles = json::object();
        for (const auto& [name, r] : g.roles) {
            roles[name] = {{"wait_hist", r.wait_hist},
                           {"wait_sum_us", r.wait_sum_us},
                           {"wakeups", r.wakeups},
                           {"period_sum_us", r.period_sum_us},
                           {"beat_misses", r.beat_misses}};
        }
        games.push_back({{"pid", g.id.pid},
                         {"name", g.id.name},
                         {"source", g.id.source},
                         {"app_id", *g.id.app_id},
                         {"exe", g.id.exe},
                         {"cpu_ms", g.cpu_ms},
                         {"roles", roles}});
    }
    return {{"ts", 1},
            {"state", {{"tunables", in_force}}},
            {"counters", {{"starvation_rescue", 0}}},
            {"cpu",
             {{"interval_ms", iv.interval_ms},
              {"capacity_ms", iv.capacity_ms},
              {"background_ms", iv.background_ms}}},
            {"games", games}};
}

ml::CollectorOptions quick() {
    ml::CollectorOptions o;
    o.tune.settle = 1;
    o.tune.measure = 3;
    o.tune.budget = 10;
    o.tune.search = {"game_boost_pct", "slice_us"};
    return o;
}

struct Rig {
    TempDir dir;
    ml::SampleStore samples{dir.path() / "samples", {}};
    ml::ProfileStore profiles{dir.path() / "profiles"};
    FakeCore core;
    SyntheticGame game{.late_share = tunables_bowl};
    ml::Collector collector{samples, profiles, core, quick()};
    void tick(bool game_running = true) {
        collector.on_sample(core_sample(game, core.in_force, game_running));
    }
};

}  // namespace

TEST_CASE("a new game is tuned, its profile kept, re-applied on its next start, and undone when it quits") {
    Rig rig;
    std::filesystem::create_directories(rig.dir.path() / "samples");
    rig.tick(false);
    rig.tick();
    REQUIRE(rig.collector.tuning());
    int ticks = 0;
    while (rig.collector.tuning() && ++ticks < 5000) rig.tick();
    REQUIRE_FALSE(rig.collector.tuning());
    auto profile = rig.profiles.get("steam-570");
    REQUIRE(profile);
    REQUIRE(*profile);
    CHECK((*profile)->status == ml::ProfileStatus::learned);
    CHECK(tunables_bowl((*profile)->tunables) < 0.12);
    CHECK(rig.core.in_force == (*profile)->tunables);  // in force at once

    rig.tick(false);  // the game quits: the user's tunables return
    CHECK(rig.core.in_force == kUser);
    rig.tick(false);

    rig.tick();  // it starts again: its profile is in force after its first sample, no command
    CHECK(rig.core.in_force == (*profile)->tunables);
    CHECK_FALSE(rig.collector.tuning());
    rig.tick();

    auto stored = ml::read_log(rig.dir.path() / "samples", "steam-570");
    REQUIRE(stored);
    std::set<std::string> phases;
    int trials = 0;
    for (const auto& r : stored->records) {
        if (r.at("kind") == "sample") phases.insert(r.at("phase").get<std::string>());
        trials += r.at("kind") == "trial";
    }
    // "default": the first interval of each start ran before anything was applied.
    CHECK(phases == std::set<std::string>{"default", "baseline", "trial", "confirm", "profile"});
    CHECK(trials == 10);
}

TEST_CASE("a game that quits mid-run keeps its trials and resumes on its next start") {
    Rig rig;
    std::filesystem::create_directories(rig.dir.path() / "samples");
    rig.tick(false);
    for (int i = 0; i < 30; ++i) rig.tick();
    REQUIRE(rig.collector.tuning());
    rig.tick(false);
    CHECK_FALSE(rig.collector.tuning());
    CHECK(rig.core.in_force == kUser);
    auto saved = rig.profiles.get("steam-570");
    REQUIRE(saved);
    REQUIRE(*saved);
    CHECK((*saved)->status == ml::ProfileStatus::tuning);
    const size_t kept = (*saved)->results.size();
    CHECK(kept >= 2);
    rig.tick();
    CHECK(rig.collector.tuning());
    for (int i = 0; i < 20; ++i) rig.tick();
    rig.collector.stop();  // shutdown: progress saved, the user's tunables back
    CHECK(rig.core.in_force == kUser);
    CHECK((*rig.profiles.get("steam-570"))->results.size() > kept);
}

TEST_CASE("with autotune off and no profile, nothing is changed") {
    TempDir dir;
    ml::SampleStore samples{dir.path(), {}};
    ml::ProfileStore profiles{dir.path() / "profiles"};
    FakeCore core;
    SyntheticGame game{.late_share = tunables_bowl};
    auto options = quick();
    options.autotune = false;
    ml::Collector collector{samples, profiles, core, options};
    for (int i = 0; i < 10; ++i) collector.on_sample(core_sample(game, core.in_force, true));
    CHECK(core.applies == 0);
    auto stored = ml::read_log(dir.path(), "steam-570");
    REQUIRE(stored);
    CHECK(stored->records.size() == 10);
    CHECK(stored->records[0].at("phase") == "default");
}

TEST_CASE("pinning during a run ends it: the user's tunables return and it is never resumed") {
    Rig rig;
    std::filesystem::create_directories(rig.dir.path() / "samples");
    rig.tick(false);
    for (int i = 0; i < 10; ++i) rig.tick();
    REQUIRE(rig.collector.tuning());
    REQUIRE(rig.collector.set_pinned("steam-570", true));
    CHECK_FALSE(rig.collector.tuning());
    CHECK(rig.core.in_force == kUser);
    const int applies = rig.core.applies;
    for (int i = 0; i < 20; ++i) rig.tick();
    CHECK_FALSE(rig.collector.tuning());
    CHECK(rig.core.applies == applies);
    auto saved = rig.profiles.get("steam-570");
    REQUIRE(saved);
    REQUIRE(*saved);
    CHECK((*saved)->pinned);
    CHECK((*saved)->status == ml::ProfileStatus::tuning);

    REQUIRE(rig.collector.set_pinned("steam-570", false));  // unpinned: the run resumes
    rig.tick();
    CHECK(rig.collector.tuning());
    CHECK_FALSE(rig.collector.set_pinned("steam-999", true));
}

TEST_CASE("reset undoes a profile in force and the game is tuned afresh") {
    Rig rig;
    std::filesystem::create_directories(rig.dir.path() / "samples");
    rig.tick(false);
    int ticks = 0;
    while ((rig.tick(), rig.collector.tuning()) && ++ticks < 5000) {
    }
    auto learned = rig.profiles.get("steam-570");
    REQUIRE(learned);
    REQUIRE(*learned);
    REQUIRE(rig.core.in_force == (*learned)->tunables);
    auto removed = rig.collector.reset("steam-570");
    REQUIRE(removed);
    CHECK(*removed);
    CHECK(rig.core.in_force == kUser);
    CHECK_FALSE(*rig.profiles.get("steam-570"));
    rig.tick();
    CHECK(rig.collector.tuning());
    auto again = rig.collector.reset("steam-570");  // the fresh run's profile goes as well
    REQUIRE(again);
    CHECK(*again);
    CHECK_FALSE(rig.collector.tuning());
    CHECK(rig.core.in_force == kUser);
}

TEST_CASE("requests: list, show by name, export, CSV, and clear errors that change nothing") {
    Rig rig;
    std::filesystem::create_directories(rig.dir.path() / "samples");
    rig.tick(false);
    for (int i = 0; i < 10; ++i) rig.tick();
    rig.tick(false);  // quits mid-run: a profile with status tuning
    ml::RequestContext context{rig.profiles, rig.dir.path() / "samples", rig.collector};
    auto ask = [&](const json& request) {
        std::ostringstream body;
        auto st = ml::handle_request(request, context, body);
        return std::make_pair(st, body.str());
    };

    auto [listed, list_body] = ask({{"request", "profile_list"}});
    REQUIRE(listed);
    const json list = json::parse(list_body);
    REQUIRE(list.at("profiles").size() == 1);
    CHECK(list["profiles"][0].at("key") == "steam-570");
    CHECK(list["profiles"][0].at("status") == "tuning");
    CHECK(list["profiles"][0].at("trials").get<int>() >= 0);

    const std::string name = list["profiles"][0].at("name");
    auto [shown, show_body] = ask({{"request", "profile_show"}, {"game", name}});
    REQUIRE(shown);
    CHECK(json::parse(show_body).at("key") == "steam-570");
    CHECK(json::parse(show_body).contains("results"));

    auto [exported, export_body] = ask({{"request", "profile_export"}});
    REQUIRE(exported);
    CHECK(json::parse(export_body).size() == 1);

    auto [csv_ok, csv] = ask({{"request", "samples_csv"}, {"game", "steam-570"}});
    REQUIRE(csv_ok);
    CHECK(csv.rfind("game_key,game_name,ts_ms", 0) == 0);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 11);  // header + 10 intervals with the game

    auto [missing, missing_body] = ask({{"request", "profile_reset"}, {"game", "nonesuch"}});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("gameschedctl profile list") != std::string::npos);
    CHECK(missing_body.empty());
    CHECK_FALSE(ask({{"request", "profile_show"}}).first);
    CHECK_FALSE(ask({{"request", "format_disk"}}).first);
    CHECK_FALSE(ask(json::array()).first);
    CHECK_FALSE(ask({{"request", "samples_csv"}, {"game", 7}}).first);
    CHECK(*rig.profiles.get("steam-570"));  // still there
}
