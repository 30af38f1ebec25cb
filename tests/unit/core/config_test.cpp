// gamesched.conf: validation with errors that name file and line, and how start and reload
// apply it to the scheduler state (runtime changes survive a reload unless the file changed).
#include "core/config/config_applier.h"
#include "core/config/core_config.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

using namespace gamesched;
using Catch::Matchers::ContainsSubstring;

namespace {

CoreConfig parse(const std::string& text) {
    auto config = parse_core_config(text, "test.conf");
    INFO(text);
    REQUIRE(config.ok());
    return *config;
}

std::string parse_error(const std::string& text) {
    auto config = parse_core_config(text, "/etc/gamesched/gamesched.conf");
    INFO(text);
    REQUIRE_FALSE(config.ok());
    return config.error().message;
}

constexpr std::uint64_t kUs = 1000;

}  // namespace

TEST_CASE("a configuration sets the mode and tunables it names") {
    auto config =
        parse("# comment\nmode = gaming\nslice_us = 3000\npreempt_enabled = no\ninput_boost_pct=10\n");
    CHECK(config.mode == ipc::Mode::gaming);
    CHECK(config.tunables.slice_us == 3000u);
    CHECK(config.tunables.preempt_enabled == false);
    CHECK(config.tunables.input_boost_pct == 10u);
    CHECK_FALSE(config.tunables.lag_clamp_us.has_value());
    CHECK(parse("") == CoreConfig{});
}

TEST_CASE("invalid settings name the file, the line and what would be valid") {
    CHECK_THAT(
        parse_error("mode = auto\nfrobnicate = 1\n"),
        ContainsSubstring("/etc/gamesched/gamesched.conf:2: unknown key 'frobnicate'; known keys: mode, "
                          "slice_us,"));
    CHECK_THAT(
        parse_error("mode = turbo\n"),
        ContainsSubstring(":1: mode 'turbo' is not one of auto, gaming, powersave, lowlatency, server"));
    CHECK_THAT(parse_error("\n\nslice_us = 5\n"),
               ContainsSubstring(":3: slice_us = 5 is out of range; use a value between 50 and 100000"));
    CHECK_THAT(parse_error("slice_us = 5ms\n"),
               ContainsSubstring(":1: slice_us wants a whole number between 50 and"));
    CHECK_THAT(parse_error("slice_us = -5\n"), ContainsSubstring("wants a whole number"));
    CHECK_THAT(parse_error("preempt_enabled = maybe\n"),
               ContainsSubstring(":1: preempt_enabled wants true or false"));
    CHECK_THAT(parse_error("mode = auto\nmode = server\n"),
               ContainsSubstring(":2: 'mode' is already set on line 1"));
    CHECK(known_config_keys().find("preempt_enabled") != std::string::npos);
}

TEST_CASE("a missing file is an empty configuration, an unreadable one an error") {
    auto missing = load_core_config("/nonexistent/gamesched.conf");
    REQUIRE(missing.ok());
    CHECK(missing->missing);
    CHECK(missing->config == CoreConfig{});
    auto directory = load_core_config("/");
    REQUIRE_FALSE(directory.ok());
}

TEST_CASE("start applies the mode, then the file's tunables over its defaults") {
    SchedulerState state;
    ConfigApplier applier;
    REQUIRE(applier.apply_initial(parse("mode = lowlatency\nlag_clamp_us = 30000\n"), state).ok());
    CHECK(state.mode() == ipc::Mode::lowlatency);
    CHECK(state.tunables().lag_clamp_ns == 30000 * kUs);
    CHECK(state.tunables().slice_ns == SchedulerState::defaults_for(ipc::Mode::lowlatency).slice_ns);
}

TEST_CASE("reload applies what changed in the file and keeps runtime changes elsewhere") {
    SchedulerState state;
    ConfigApplier applier;
    REQUIRE(applier.apply_initial(parse("slice_us = 4000\nlag_clamp_us = 30000\n"), state).ok());
    // An administrator changes two tunables at runtime (gameschedctl set, not persisted).
    ipc::Tunables runtime;
    runtime.game_boost_pct = 50;
    runtime.lag_clamp_us = 20000;
    REQUIRE(state.set_tunables(runtime).ok());

    // The file changes slice_us and drops lag_clamp_us.
    REQUIRE(applier.apply_reload(parse("slice_us = 3000\n"), state).ok());
    CHECK(state.tunables().slice_ns == 3000 * kUs);
    CHECK(state.tunables().lag_clamp_ns == SchedulerState::defaults_for(ipc::Mode::auto_).lag_clamp_ns);
    CHECK(state.tunables().game_boost_pct == 50);  // untouched by the file: kept

    // An unchanged file changes nothing, not even what runtime changes did to its keys.
    ipc::Tunables slice;
    slice.slice_us = 2000;
    REQUIRE(state.set_tunables(slice).ok());
    REQUIRE(applier.apply_reload(parse("slice_us = 3000\n"), state).ok());
    CHECK(state.tunables().slice_ns == 2000 * kUs);
}

TEST_CASE("a mode change in the file resets to that mode and applies the file's tunables") {
    SchedulerState state;
    ConfigApplier applier;
    REQUIRE(applier.apply_initial(parse("slice_us = 4000\n"), state).ok());
    REQUIRE(applier.apply_reload(parse("mode = powersave\nslice_us = 4000\n"), state).ok());
    CHECK(state.mode() == ipc::Mode::powersave);
    CHECK(state.tunables().slice_ns == 4000 * kUs);
    CHECK(state.tunables().preempt_enabled == 0);  // powersave's default
    // Dropping the mode line returns to auto.
    REQUIRE(applier.apply_reload(parse("slice_us = 4000\n"), state).ok());
    CHECK(state.mode() == ipc::Mode::auto_);
    CHECK(state.tunables().preempt_enabled == 1);
}

TEST_CASE("a reload the state refuses changes nothing") {
    SchedulerState state;
    ConfigApplier applier;
    REQUIRE(applier.apply_initial(parse("mode = gaming\nslice_us = 4000\n"), state).ok());
    const auto before = state.to_json();
    // slice_min_us above slice_us passes the per-field ranges but not the cross-field rule.
    auto refused =
        applier.apply_reload(parse("mode = server\nslice_us = 1000\nslice_min_us = 5000\n"), state);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, ContainsSubstring("slice_min_us must not exceed slice_us"));
    CHECK(state.to_json() == before);
    // The refused file did not become the reference: fixing it applies the mode change.
    REQUIRE(applier.apply_reload(parse("mode = server\nslice_us = 4000\n"), state).ok());
    CHECK(state.mode() == ipc::Mode::server);
}

TEST_CASE("--persist assignments use the file's key names") {
    ipc::Tunables tunables;
    tunables.slice_us = 3000;
    tunables.preempt_enabled = false;
    auto assignments = config_assignments(tunables);
    REQUIRE(assignments.size() == 2);
    CHECK(assignments[0] == std::pair<std::string, std::string>{"slice_us", "3000"});
    CHECK(assignments[1] == std::pair<std::string, std::string>{"preempt_enabled", "false"});
    CHECK(config_assignment(ipc::Mode::lowlatency) ==
          std::pair<std::string, std::string>{"mode", "lowlatency"});
    // What --persist writes parses back to the same settings.
    auto back = parse("slice_us = 3000\npreempt_enabled = false\nmode = lowlatency\n");
    CHECK(back.tunables == tunables);
}
