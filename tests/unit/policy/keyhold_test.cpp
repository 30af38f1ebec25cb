// Key-hold arithmetic (bpf/keyhold.h): a held key keeps its class's window open up to the bound,
// the last release closes it one ordinary window later, other devices cannot end someone's hold.
#include <catch2/catch_test_macros.hpp>

#include "bpf/keyhold.h"

namespace {
constexpr u64 kMsec = 1000 * 1000;
constexpr u64 kWindow = 100 * kMsec;
constexpr u64 kHold = GS_KEY_HOLD_MAX_NS;
constexpr u64 t0 = 1000 * 1000 * kMsec;

u64 after(u64 end, u64 now, int value, bool holder = true, bool still_down = false) {
    return gs_key_window_end(end, now, kWindow, kHold, value, holder ? 1 : 0, still_down ? 1 : 0);
}
}  // namespace

TEST_CASE("a press opens the window for the hold bound, the last release closes it a window later",
          "[keyhold]") {
    u64 end = after(0, t0, GS_KEY_PRESS);
    CHECK(end == t0 + kHold);
    // Autorepeat never reaches the hook, so nothing else happens while the key is down.
    end = after(end, t0 + 1500 * kMsec, GS_KEY_RELEASE);
    CHECK(end == t0 + 1500 * kMsec + kWindow);
}

TEST_CASE("the hold is bounded: a release that never comes leaves the window closed after the bound",
          "[keyhold]") {
    const u64 end = after(0, t0, GS_KEY_PRESS);
    CHECK(end == t0 + kHold);
    CHECK(end <= t0 + GS_KEY_HOLD_MAX_NS);
    // A later press of another key extends from its own time, by the same bound.
    CHECK(after(end, t0 + kHold - kMsec, GS_KEY_PRESS) == t0 + 2 * kHold - kMsec);
}

TEST_CASE("releasing one of several keys held keeps the hold", "[keyhold]") {
    u64 end = after(0, t0, GS_KEY_PRESS);
    end = after(end, t0 + 10 * kMsec, GS_KEY_PRESS);
    const u64 held = end;
    end = after(end, t0 + 500 * kMsec, GS_KEY_RELEASE, true, true);
    CHECK(end == held);
    end = after(end, t0 + 900 * kMsec, GS_KEY_RELEASE, true, false);
    CHECK(end == t0 + 900 * kMsec + kWindow);
}

TEST_CASE("a release on another device does not end the holder's hold", "[keyhold]") {
    const u64 end = after(0, t0, GS_KEY_PRESS);
    CHECK(after(end, t0 + 300 * kMsec, GS_KEY_RELEASE, false, false) == end);
}

TEST_CASE("hardware repeats and releases without a hold act like any event", "[keyhold]") {
    CHECK(after(0, t0, GS_KEY_REPEAT) == t0 + kWindow);
    CHECK(after(t0 + 5 * kMsec, t0, GS_KEY_RELEASE, false) == t0 + kWindow);
    // An expired hold ended by its release: the ordinary window from the release.
    CHECK(after(t0 + kHold, t0 + 10 * kHold, GS_KEY_RELEASE) == t0 + 10 * kHold + kWindow);
}

TEST_CASE("a class with its window off is left alone", "[keyhold]") {
    CHECK(gs_key_window_end(42, t0, 0, kHold, GS_KEY_PRESS, 1, 0) == 42);
    CHECK(gs_key_window_end(42, t0, 0, kHold, GS_KEY_RELEASE, 1, 0) == 42);
}
