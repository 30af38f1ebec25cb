// SchedulerState against late kernel events: an exit (or privileged exec) reported after a pid was
// reused must not erase the new process's game or focus.
#include "core/scheduler_state.h"

#include <catch2/catch_test_macros.hpp>

#include <time.h>

using gamesched::SchedulerState;

namespace {

uint64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

TEST_CASE("an exit event older than the game's registration leaves it in place") {
    SchedulerState state;
    const uint64_t old_process_exited = now_ns();
    REQUIRE(state.add_game(4242, 1000, "new game", "detect").ok());  // the pid, reused
    REQUIRE(state.set_focus(4242).ok());
    CHECK_FALSE(state.forget_game(4242, old_process_exited));
    CHECK(state.games().count(4242) == 1);
    CHECK(state.focus() == 4242);
}

TEST_CASE("an exit event after the registration removes the game and its focus") {
    SchedulerState state;
    REQUIRE(state.add_game(4242, 1000, "game", "detect").ok());
    REQUIRE(state.set_focus(4242).ok());
    CHECK(state.forget_game(4242, now_ns()));
    CHECK(state.games().count(4242) == 0);
    CHECK(state.focus() == 0);
    CHECK_FALSE(state.forget_game(4242, now_ns()));  // nothing left to forget
}

TEST_CASE("other pids are untouched") {
    SchedulerState state;
    REQUIRE(state.add_game(1, 1000, "a", "detect").ok());
    REQUIRE(state.set_focus(1).ok());
    CHECK_FALSE(state.forget_game(2, now_ns()));
    CHECK(state.games().count(1) == 1);
    CHECK(state.focus() == 1);
}
