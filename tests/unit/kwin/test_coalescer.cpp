#include "helpers/kwin/focus_coalescer.h"

#include <catch2/catch_test_macros.hpp>

using gamesched::kwin::FocusCoalescer;
using gamesched::kwin::FocusReport;
using namespace std::chrono_literals;

namespace {
const FocusCoalescer::Clock::time_point t0{std::chrono::seconds(1000)};
}

TEST_CASE("a single report is forwarded once its window closes", "[kwin][coalescer]") {
    FocusCoalescer c(50ms);
    CHECK_FALSE(c.deadline());
    c.offer({100, "a"}, t0);
    REQUIRE(c.deadline() == t0 + 50ms);
    CHECK_FALSE(c.take_due(t0 + 49ms));
    auto due = c.take_due(t0 + 50ms);
    REQUIRE(due);
    CHECK(due->pid == 100);
    CHECK(due->resource_class == "a");
    CHECK_FALSE(c.deadline());
    CHECK_FALSE(c.take_due(t0 + 1s));
}

TEST_CASE("within a burst the last report wins and the deadline is not pushed back", "[kwin][coalescer]") {
    FocusCoalescer c(50ms);
    c.offer({100, "a"}, t0);
    c.offer({200, "b"}, t0 + 20ms);
    c.offer({300, "c"}, t0 + 40ms);
    CHECK(c.deadline() == t0 + 50ms);
    auto due = c.take_due(t0 + 50ms);
    REQUIRE(due);
    CHECK(due->pid == 300);
}

TEST_CASE("an unknown pid is never forwarded and cancels what is pending", "[kwin][coalescer]") {
    FocusCoalescer c(50ms);
    c.offer({0, "xterm"}, t0);
    CHECK_FALSE(c.deadline());
    CHECK_FALSE(c.take_due(t0 + 1s));

    c.offer({100, "a"}, t0 + 1s);
    c.offer({0, "xterm"}, t0 + 1s + 10ms);
    CHECK_FALSE(c.deadline());
    CHECK_FALSE(c.take_due(t0 + 2s));

    c.offer({-5, "broken"}, t0 + 3s);
    CHECK_FALSE(c.take_due(t0 + 4s));
}

TEST_CASE("the pid forwarded last is not repeated until the receiver forgets it", "[kwin][coalescer]") {
    FocusCoalescer c(50ms);
    c.offer({100, "a"}, t0);
    REQUIRE(c.take_due(t0 + 50ms));
    c.offer({100, "a"}, t0 + 1s);
    CHECK_FALSE(c.take_due(t0 + 2s));

    c.offer({200, "b"}, t0 + 3s);
    REQUIRE(c.take_due(t0 + 4s)->pid == 200);
    c.offer({100, "a"}, t0 + 5s);
    REQUIRE(c.take_due(t0 + 6s)->pid == 100);

    c.forget_forwarded();
    c.offer({100, "a"}, t0 + 7s);
    auto again = c.take_due(t0 + 8s);
    REQUIRE(again);
    CHECK(again->pid == 100);
}
