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

TEST_CASE("an unknown pid is kept like any other report, for the helper to resolve", "[kwin][coalescer]") {
    FocusCoalescer c(50ms);
    c.offer({100, "a"}, t0);
    c.offer({0, "xterm"}, t0 + 10ms);
    REQUIRE(c.deadline() == t0 + 50ms);
    auto due = c.take_due(t0 + 50ms);
    REQUIRE(due);
    CHECK(due->pid == 0);
    CHECK(due->resource_class == "xterm");

    c.offer({-5, "broken"}, t0 + 3s);
    due = c.take_due(t0 + 4s);
    REQUIRE(due);
    CHECK(due->pid == 0);
}

TEST_CASE("cancel drops what is pending", "[kwin][coalescer]") {
    FocusCoalescer c(50ms);
    c.offer({100, "a"}, t0);
    c.cancel();
    CHECK_FALSE(c.deadline());
    CHECK_FALSE(c.take_due(t0 + 1s));
}

TEST_CASE("the pid forwarded last is not repeated until the receiver forgets it", "[kwin][coalescer]") {
    FocusCoalescer c(50ms);
    CHECK(c.mark_forwarded(100));
    CHECK_FALSE(c.mark_forwarded(100));
    CHECK(c.mark_forwarded(200));
    CHECK(c.mark_forwarded(100));
    c.forget_forwarded();
    CHECK(c.mark_forwarded(100));
}
