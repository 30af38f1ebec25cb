// The deadline/slice arithmetic, compiled from the same header the BPF scheduler uses.
#include <catch2/catch_test_macros.hpp>

extern "C" {
#include "bpf/policy.h"
}

TEST_CASE("weight scales consumed time into virtual time") {
    CHECK(gs_scale_by_weight_inverse(1000, 100) == 1000);
    CHECK(gs_scale_by_weight_inverse(1000, 200) == 500);   // heavier ages slower
    CHECK(gs_scale_by_weight_inverse(1000, 1) == 100000);  // nice 19 ages fast
    CHECK(gs_scale_by_weight_inverse(1000, 0) == 100000);  // never divides by zero
}

TEST_CASE("a long sleeper is clamped to at most the lag window behind the clock") {
    const u64 now = 1'000'000'000, lag = 40'000'000;
    CHECK(gs_clamp_vtime(0, now, lag, 100) == now - lag);
    CHECK(gs_clamp_vtime(now - 1000, now, lag, 100) == now - 1000);  // recent: untouched
    CHECK(gs_clamp_vtime(0, now, lag, 200) == now - 2 * lag);        // weight widens the window
    CHECK(gs_clamp_vtime(0, 10, lag, 100) == 0);                     // no underflow at boot
}

TEST_CASE("short runners get earlier deadlines than hogs with the same vtime") {
    const u64 vtime = 5'000'000, lag = 40'000'000;
    u64 interactive = gs_deadline(vtime, 200'000, 100, lag, 0);
    u64 hog = gs_deadline(vtime, 20'000'000, 100, lag, 0);
    CHECK(interactive < hog);
    CHECK(interactive == vtime + 200'000);
}

TEST_CASE("boost moves the deadline earlier, bounded by the lag window") {
    const u64 vtime = 100'000'000, lag = 40'000'000, runtime = 2'000'000;
    u64 plain = gs_deadline(vtime, runtime, 100, lag, 0);
    u64 boosted = gs_deadline(vtime, runtime, 100, lag, 50);
    CHECK(boosted < plain);
    CHECK(plain - boosted <= lag + runtime);
    // Out-of-range boosts are capped at 90 %.
    CHECK(gs_deadline(vtime, runtime, 100, lag, 200) == gs_deadline(vtime, runtime, 100, lag, 90));
    // Near zero vtime the head start cannot wrap around.
    CHECK(gs_deadline(1000, 0, 100, lag, 90) == 0);
}

TEST_CASE("slice shrinks with waiters but not below the minimum") {
    CHECK(gs_slice(5'000'000, 500'000, 0) == 5'000'000);
    CHECK(gs_slice(5'000'000, 500'000, 4) == 1'000'000);
    CHECK(gs_slice(5'000'000, 500'000, 100) == 500'000);
}

TEST_CASE("recent runtime accumulates to a cap and halves on sleep") {
    CHECK(gs_runtime_after_run(1000, 500, 10'000) == 1500);
    CHECK(gs_runtime_after_run(9000, 5000, 10'000) == 10'000);
    CHECK(gs_runtime_after_sleep(1000) == 500);
}

TEST_CASE("wait histogram buckets are log2 of microseconds") {
    CHECK(gs_wait_bucket(0) == 0);
    CHECK(gs_wait_bucket(999) == 0);
    CHECK(gs_wait_bucket(1000) == 1);
    CHECK(gs_wait_bucket(3999) == 2);
    CHECK(gs_wait_bucket(4000) == 3);
    CHECK(gs_wait_bucket(~0ULL) == GS_WAIT_HIST_BUCKETS - 1);
}
