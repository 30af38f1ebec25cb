// The collector end to end on synthetic core samples: a new game is autotuned, its profile is
// saved and applied again when it comes back, the user's tunables return when it leaves, and a
// run interrupted by the game quitting resumes.
#include <catch2/catch_test_macros.hpp>

#include <cmath>
#include <set>

#include "helpers/mlcollect/collector.h"
#include "tests/unit/mlcollect/synthetic_game.h"
#include "tests/unit/mlcollect/temp_dir.h"

namespace ml = gamesched::ml;
using nlohmann::json;

namespace {

const ml::TunableValues kUser = {
    {"slice_us", 5000},     {"slice_min_us", 500},   {"lag_clamp_us", 40000}, {"starvation_bound_us", 100000},
    {"game_boost_pct", 30}, {"focus_boost_pct", 20}, {"input_boost_pct", 30}, {"preempt_enabled", 1}};

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

double sq(double v) {
    return v * v;
}
double bowl(const ml::TunableValues& t) {
    return 0.05 + 0.4 * sq((static_cast<double>(t.at("game_boost_pct")) - 70) / 90) +
           0.3 * sq(std::log(static_cast<double>(t.at("slice_us")) / 1250) / std::log(8.0));
}

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
    SyntheticGame game{.late_share = bowl};
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
    CHECK(bowl((*profile)->tunables) < 0.12);
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
    SyntheticGame game{.late_share = bowl};
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
