#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>

#include <cmath>

#include "helpers/mlcollect/interval.h"
#include "helpers/mlcollect/score.h"

namespace ml = gamesched::ml;
using Catch::Matchers::WithinAbs;
using nlohmann::json;

namespace {

json core_sample() {
    json hist = json::array();
    for (int b = 0; b < 16; ++b) hist.push_back(b == 5 ? 90 : b == 12 ? 10 : 0);
    return {
        {"ts", 1700000000000},
        {"counters", {{"starvation_rescue", 2}, {"enqueue", 100}}},
        {"state", {{"tunables", {{"slice_us", 5000}, {"preempt_enabled", true}}}}},
        {"cpu", {{"interval_ms", 1000}, {"capacity_ms", 2000}, {"busy_ms", 1700}, {"background_ms", 1400}}},
        {"games",
         {{{"pid", 4242},
           {"name", "Dota 2"},
           {"source", "proton"},
           {"app_id", "570"},
           {"exe", "dota2.exe"},
           {"cpu_ms", 300},
           {"boosts", 50},
           {"preempt_kicks", 3},
           {"migrations", 7},
           {"roles",
            {{"render",
              {{"wait_hist", hist},
               {"wait_sum_us", 30000},
               {"wakeups", 100},
               {"period_sum_us", 1666700},
               {"beat_misses", 4}}}}}}}}};
}

}  // namespace

TEST_CASE("a core stats sample parses into one interval per game") {
    auto iv = ml::parse_interval(core_sample());
    REQUIRE(iv);
    CHECK(iv->capacity_ms == 2000);
    CHECK(iv->background_ms == 1400);
    CHECK(iv->starvation_rescues == 2);
    CHECK(iv->tunables == ml::TunableValues{{"slice_us", 5000}, {"preempt_enabled", 1}});
    REQUIRE(iv->games.size() == 1);
    const auto& g = iv->games[0];
    CHECK(g.id.key() == "steam-570");
    CHECK(g.roles.at("render").waits() == 100);
    CHECK(g.roles.at("render").beat_misses == 4);
}

TEST_CASE("a sample without the per-game part is refused with a reason") {
    json s = core_sample();
    s.erase("games");
    auto iv = ml::parse_interval(s);
    REQUIRE_FALSE(iv);
    CHECK(iv.error().message.find("per-game") != std::string::npos);
    s = core_sample();
    s["games"][0]["roles"]["render"]["wait_hist"] = json::array({1, 2});
    CHECK_FALSE(ml::parse_interval(s));
}

TEST_CASE("game keys: Steam app id, then the launcher's id, then the executable") {
    ml::GameIdentity id{.pid = 1, .name = "Foo", .source = "steam", .app_id = "440", .exe = "hl2_linux"};
    CHECK(id.key() == "steam-440");
    id.source = "lutris";
    CHECK(id.key() == "lutris-440");
    id.app_id.reset();
    CHECK(id.key() == "exe-hl2_linux");
    id.exe.clear();
    CHECK(id.key() == "exe-Foo");
}

TEST_CASE("the stored record carries every field docs/ml.md lists") {
    auto iv = ml::parse_interval(core_sample());
    REQUIRE(iv);
    const json r = ml::sample_record(*iv, iv->games[0], "trial", 3);
    for (const char* key :
         {"schema", "kind", "ts_ms", "interval_ms", "game", "phase", "trial", "tunables", "roles",
          "deadline_misses", "boosts", "preemptions", "migrations", "game_cpu_ms", "game_cpu_share",
          "background_cpu_ms", "background_cpu_share", "starvation_rescues"})
        CHECK(r.contains(key));
    CHECK(r["schema"] == ml::kRecordSchema);
    CHECK(r["game"]["app_id"] == "570");
    CHECK_THAT(r["game_cpu_share"].get<double>(), WithinAbs(0.15, 1e-9));
    CHECK(r["deadline_misses"] == 4);
}

namespace {

// The score of one sample's first game.
ml::Score score_of(const json& sample) {
    auto iv = ml::parse_interval(sample);
    REQUIRE(iv);
    ml::Window w;
    w.add(*iv, iv->games[0]);
    return ml::score_window(w);
}

// core_sample()'s render role: its period of 16.667 ms absorbs waits up to 2.083 ms; the 90 waits
// of 16-32 us count nothing, each of the 10 at [2048, 4096) us its typical 2896 us less 2083.
const double kRenderLateUs = 10 * (2048 * std::sqrt(2.0) - 16667.0 / 8);

}  // namespace

TEST_CASE("score = beat-miss ratio + share of time the critical threads waited too long") {
    const ml::Score s = score_of(core_sample());
    REQUIRE(s.value);
    const double late = kRenderLateUs;
    CHECK_THAT(s.miss_ratio, WithinAbs(0.04, 1e-9));
    CHECK_THAT(s.late_share, WithinAbs(late / 1666700.0, 1e-6));
    CHECK_THAT(*s.value, WithinAbs(0.04 + late / 1666700.0, 1e-6));
    CHECK_THAT(s.background_per_s, WithinAbs(1400, 1e-9));
}

TEST_CASE("score: each role counts once, whatever its wake rate") {
    json sample = core_sample();
    std::vector<int> input_hist(16, 0);
    input_hist[3] = 1000;  // 1000 waits of 4-8 us
    sample["games"][0]["roles"]["input"] = {{"wait_hist", input_hist},
                                            {"wait_sum_us", 0},
                                            {"wakeups", 1000},
                                            {"period_sum_us", 2000000},
                                            {"beat_misses", 0}};
    const ml::Score s = score_of(sample);
    REQUIRE(s.value);
    // Render's late share halves (two roles), however many more wakeups input has.
    CHECK_THAT(s.late_share, WithinAbs(kRenderLateUs / 1666700.0 / 2, 1e-6));
    CHECK_THAT(s.miss_ratio, WithinAbs(0.04, 1e-9));  // input is no beat role
}

TEST_CASE("score: beat misses count for render only (submit and audio periods alternate)") {
    json sample = core_sample();
    sample["games"][0]["roles"]["gpu_submit"] = sample["games"][0]["roles"]["render"];
    sample["games"][0]["roles"]["gpu_submit"]["beat_misses"] = 50;
    const ml::Score s = score_of(sample);
    REQUIRE(s.value);
    CHECK_THAT(s.miss_ratio, WithinAbs(0.04, 1e-9));
}

TEST_CASE("no frame-chain activity: no score") {
    ml::Window w;
    CHECK_FALSE(ml::score_window(w).value);
}

TEST_CASE("the starvation constraint: guard rescues or background below 90 % of the baseline") {
    ml::Score base;
    base.value = 0.2;
    base.background_per_s = 1000;
    base.capacity_per_s = 2000;
    ml::Score trial = base;
    trial.value = 0.1;
    CHECK(ml::starvation_violation(trial, base).empty());
    trial.background_per_s = 880;
    CHECK(ml::starvation_violation(trial, base).find("background") != std::string::npos);
    trial.background_per_s = 1000;
    trial.rescues_per_s = 0.5;
    CHECK(ml::starvation_violation(trial, base).find("starvation guard") != std::string::npos);
}

TEST_CASE("an idle background is not a constraint") {
    ml::Score base;
    base.background_per_s = 20;
    base.capacity_per_s = 2000;
    ml::Score trial = base;
    trial.background_per_s = 5;
    CHECK(ml::starvation_violation(trial, base).empty());
}

TEST_CASE("a bad interval: score far above the baseline, rescues, or a collapsed background") {
    ml::Score base;
    base.value = 0.2;
    base.background_per_s = 1000;
    base.capacity_per_s = 2000;
    ml::Score iv = base;
    iv.value = 0.45;
    CHECK(ml::bad_interval(iv, base).empty());
    iv.value = 0.6;
    CHECK_FALSE(ml::bad_interval(iv, base).empty());
    iv.value = 0.2;
    iv.background_per_s = 400;
    CHECK_FALSE(ml::bad_interval(iv, base).empty());
}
