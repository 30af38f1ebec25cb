#include <catch2/catch_test_macros.hpp>

#include <cmath>

#include "helpers/mlcollect/autotuner.h"
#include "tests/unit/mlcollect/bowls.h"
#include "tests/unit/mlcollect/synthetic_game.h"

namespace ml = gamesched::ml;

namespace {

const ml::TunableValues kDefaults = {{"slice_us", 5000},
                                     {"slice_min_us", 500},
                                     {"lag_clamp_us", 40000},
                                     {"runtime_cap_us", 100000},
                                     {"input_window_keyboard_us", 100000},
                                     {"input_window_mouse_us", 20000},
                                     {"input_window_gamepad_us", 50000},
                                     {"game_boost_pct", 30},
                                     {"focus_boost_pct", 20},
                                     {"input_boost_pct", 30},
                                     {"preempt_enabled", 1}};

ml::AutotuneOptions quick_options() {
    ml::AutotuneOptions o;
    o.settle = 1;
    o.measure = 3;
    o.repeats = 2;
    o.budget = 12;
    o.confirm_repeats = 2;
    o.search = {"game_boost_pct", "slice_us"};
    o.seed = 5;
    return o;
}

struct RunLog {
    int intervals = 0;
    std::vector<ml::TunableValues> applied;
    int bad_intervals_measured = 0;  // intervals run under collapsing tunables after their settle
};

// Drives a run to its end the way the collector does: applies what the tuner asks for.
RunLog drive(ml::Autotuner& tuner, SyntheticGame& game,
             const std::function<bool(const ml::TunableValues&)>& bad = {}) {
    RunLog log;
    ml::TunableValues in_force = kDefaults;
    int under_bad = 0;
    for (; log.intervals < 20000 && !tuner.finished(); ++log.intervals) {
        auto iv = game.interval(in_force);
        if (bad && bad(in_force) && ++under_bad > 2) ++log.bad_intervals_measured;
        if (auto next = tuner.on_interval(iv, iv.games[0])) {
            log.applied.push_back(*next);
            in_force = *next;
            under_bad = 0;
        }
    }
    return log;
}

}  // namespace

TEST_CASE("autotune finds better tunables than the defaults and changes nothing else") {
    SyntheticGame game{.late_share = tunables_bowl, .noise_sd = 0.01};
    auto tuner = ml::Autotuner::start(quick_options(), kDefaults);
    REQUIRE(tuner);
    const RunLog log = drive(*tuner, game);
    REQUIRE(tuner->finished());
    const auto& out = *tuner->outcome();
    CHECK(out.verdict == ml::Verdict::learned);
    INFO("learned game_boost_pct " << out.tunables.at("game_boost_pct") << ", slice_us "
                                   << out.tunables.at("slice_us"));
    CHECK(tunables_bowl(out.tunables) < 0.10);
    CHECK(out.score < out.baseline_score * 0.95);
    for (const auto& applied : log.applied) {
        REQUIRE(applied.size() == kDefaults.size());
        for (const auto& [name, value] : applied) {
            if (name != "game_boost_pct" && name != "slice_us") CHECK(value == kDefaults.at(name));
        }
    }
    // Trials alternate with baseline measurements: every second change is back to the defaults.
    int back_to_defaults = 0;
    for (const auto& applied : log.applied) back_to_defaults += applied == kDefaults;
    CHECK(back_to_defaults >= 12);
}

TEST_CASE("a trial that starves the background stops within one interval and the baseline returns") {
    // The game would love a huge boost, but past 60 % the background collapses.
    SyntheticGame game{
        [](const ml::TunableValues& t) {
            return 0.05 + 0.4 * square((static_cast<double>(t.at("game_boost_pct")) - 80) / 90);
        },
        [](const ml::TunableValues& t) { return t.at("game_boost_pct") > 60 ? 400.0 : 1500.0; }};
    auto tuner = ml::Autotuner::start(quick_options(), kDefaults);
    REQUIRE(tuner);
    const auto collapses = [](const ml::TunableValues& t) { return t.at("game_boost_pct") > 60; };
    const RunLog log = drive(*tuner, game, collapses);
    REQUIRE(tuner->finished());
    CHECK(log.bad_intervals_measured == 0);  // settle interval + the one that showed it, no more
    CHECK_FALSE(collapses(tuner->outcome()->tunables));
    int stopped = 0;
    for (const auto& r : tuner->results()) stopped += !r.baseline && !r.score;
    CHECK(stopped >= 1);
}

TEST_CASE("when nothing beats the defaults they stay") {
    SyntheticGame game{.late_share = [](const ml::TunableValues&) { return 0.1; }, .noise_sd = 0.002};
    auto tuner = ml::Autotuner::start(quick_options(), kDefaults);
    REQUIRE(tuner);
    drive(*tuner, game);
    REQUIRE(tuner->finished());
    CHECK(tuner->outcome()->verdict == ml::Verdict::defaults_best);
    CHECK(tuner->outcome()->tunables == kDefaults);
}

TEST_CASE("an interruption restores the baseline; the trial resumes with its tunables re-applied") {
    SyntheticGame game{tunables_bowl};
    auto tuner = ml::Autotuner::start(quick_options(), kDefaults);
    REQUIRE(tuner);
    ml::TunableValues in_force = kDefaults;
    while (tuner->phase() != "trial") {
        auto iv = game.interval(in_force);
        if (auto next = tuner->on_interval(iv, iv.games[0])) in_force = *next;
    }
    const ml::TunableValues candidate = in_force;
    REQUIRE(candidate != kDefaults);
    CHECK(tuner->interrupt() == kDefaults);
    auto iv = game.interval(kDefaults);
    auto again = tuner->on_interval(iv, iv.games[0]);
    REQUIRE(again);
    CHECK(*again == candidate);
}

TEST_CASE("a resumed run counts the trials it already has") {
    std::vector<ml::TrialResult> earlier;
    for (int i = 0; i < 12; ++i) {
        ml::TunableValues t = {{"game_boost_pct", static_cast<std::uint64_t>(5 + 7 * i)}, {"slice_us", 2500}};
        ml::TunableValues all = kDefaults;
        all.insert_or_assign("game_boost_pct", t["game_boost_pct"]);
        all.insert_or_assign("slice_us", 2500);
        earlier.push_back({t, tunables_bowl(all), false});
    }
    SyntheticGame game{tunables_bowl};
    auto tuner = ml::Autotuner::start(quick_options(), kDefaults, earlier);
    REQUIRE(tuner);
    const RunLog log = drive(*tuner, game);
    REQUIRE(tuner->finished());
    // Budget already spent: a baseline, then straight to confirming the best.
    CHECK(log.intervals < 40);
    CHECK(tuner->outcome()->verdict == ml::Verdict::learned);
}

TEST_CASE("trial records say what was tried and how it scored") {
    SyntheticGame game{tunables_bowl};
    auto tuner = ml::Autotuner::start(quick_options(), kDefaults);
    REQUIRE(tuner);
    drive(*tuner, game);
    const auto records = tuner->take_records();
    REQUIRE(records.size() >= 13);
    int completed = 0;
    for (const auto& r : records) {
        if (r.at("kind") != "trial") continue;
        CHECK(r.contains("tunables"));
        if (r.contains("stopped")) {
            CHECK(r.at("score").is_null());
        } else {
            CHECK(r.at("scores").size() == 2);
            ++completed;
        }
    }
    CHECK(completed >= 6);
    CHECK(records.back().at("kind") == "autotune_result");
    CHECK(tuner->take_records().empty());
}
