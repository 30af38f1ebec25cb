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
    CHECK(gs_clamp_vtime(0, now, lag, 50) == now - lag / 2);         // a niced task banks less
    CHECK(gs_clamp_vtime(0, now, lag, 10000) == now - lag);          // a heavy one no more
    CHECK(gs_clamp_vtime(0, 10, lag, 100) == 0);                     // no underflow at boot
}

TEST_CASE("a task charged far ahead of the clock is pulled back, so its wait stays bounded") {
    const u64 now = 1'000'000'000, lag = 40'000'000;
    // nice 19, one 4 ms tick: 400 ms of vtime ahead.
    CHECK(gs_clamp_vtime(now + 400'000'000, now, lag, 1) == now + GS_VTIME_AHEAD_MAX_NS);
    CHECK(gs_clamp_vtime(now + 20'000'000, now, lag, 100) == now + 20'000'000);  // a slice: untouched
}

constexpr u64 kLag = 20'000'000, kCap = 20'000'000;

TEST_CASE("short runners get earlier deadlines than hogs with the same vtime") {
    const u64 vtime = 5'000'000;
    u64 interactive = gs_deadline(vtime, 200'000, 100, kLag, kCap, 0);
    u64 hog = gs_deadline(vtime, 20'000'000, 100, kLag, kCap, 0);
    CHECK(interactive < hog);
    CHECK(interactive == vtime + 200'000);
}

TEST_CASE("the weighted runtime term is capped whatever the weight: starvation is bounded") {
    const u64 vtime = 1'000'000'000;
    // nice 19 (weight 1): its runtime counts 100x, but its deadline trails its vtime by the cap
    // at most, so a waiting niced hog is overtaken only until the clock passes vtime + cap.
    CHECK(gs_deadline(vtime, 20'000'000, 1, kLag, kCap, 0) == vtime + kCap);
    CHECK(gs_deadline(vtime, 1'000'000'000, 100, kLag, kCap, 0) == vtime + kCap);
    CHECK(gs_deadline(vtime, 1'000'000, 1, kLag, kCap, 0) == vtime + kCap);
    CHECK(gs_deadline(vtime, 1'000'000, 200, kLag, kCap, 0) == vtime + 500'000);  // heavier: less
}

TEST_CASE("boost moves the deadline earlier, bounded by the lag window") {
    const u64 vtime = 100'000'000, runtime = 2'000'000;
    u64 plain = gs_deadline(vtime, runtime, 100, kLag, kCap, 0);
    u64 boosted = gs_deadline(vtime, runtime, 100, kLag, kCap, 50);
    CHECK(boosted < plain);
    CHECK(plain - boosted <= kLag + runtime);
    // Out-of-range boosts are capped at 90 %.
    CHECK(gs_deadline(vtime, runtime, 100, kLag, kCap, 200) ==
          gs_deadline(vtime, runtime, 100, kLag, kCap, 90));
    // Near zero vtime the head start cannot wrap around.
    CHECK(gs_deadline(1000, 0, 100, kLag, kCap, 90) == 0);
}

TEST_CASE("slices: long for CPU-bound tasks, short for bursts, shorter for niced tasks") {
    const u64 max = 20'000'000, min = 1'000'000;
    CHECK(gs_slice(max, min, 20'000'000, 100) == max);       // a hog: recent runtime at the cap
    CHECK(gs_slice(max, min, 3'000'000, 100) == 6'000'000);  // twice its usual run
    CHECK(gs_slice(max, min, 100'000, 100) == min);          // a short burst
    CHECK(gs_slice(max, min, 0, 100) == min);                // a new task starts short, grows if it runs
    CHECK(gs_slice(max, min, 20'000'000, 1) == min);         // nice 19: short, frequent turns
    CHECK(gs_slice(max, min, 20'000'000, 10000) == max);     // never above the maximum
    // A CPU-bound task's slice grows from the minimum to the maximum within a few slices.
    u64 recent = 0;
    int slices = 0;
    while (gs_slice(max, min, recent, 100) < max && slices < 100) {
        recent = gs_runtime_after_run(recent, gs_slice(max, min, recent, 100), kCap);
        ++slices;
    }
    CHECK(slices <= 6);
}

TEST_CASE("a wakeup preempts only a task less urgent by more than the margin") {
    const u64 margin = 1'000'000;
    CHECK(gs_preempts(100'000'000, 140'000'000, margin));        // a hog's deadline: far later
    CHECK_FALSE(gs_preempts(100'000'000, 100'500'000, margin));  // about as urgent: wait
    CHECK_FALSE(gs_preempts(100'000'000, 90'000'000, margin));   // more urgent: never
    CHECK_FALSE(gs_preempts(100'000'000, 0, margin));            // nothing of ours runs there
}

TEST_CASE("within a process only the input handler preempts, and not another one") {
    CHECK(gs_preempts_own_process(GS_ROLE_INPUT, GS_ROLE_RENDER));
    CHECK(gs_preempts_own_process(GS_ROLE_INPUT, GS_ROLE_WORKER));
    CHECK(gs_preempts_own_process(GS_ROLE_INPUT, GS_ROLE_AUDIO));
    CHECK_FALSE(gs_preempts_own_process(GS_ROLE_INPUT, GS_ROLE_INPUT));
    CHECK_FALSE(gs_preempts_own_process(GS_ROLE_AUDIO, GS_ROLE_WORKER));
    CHECK_FALSE(gs_preempts_own_process(GS_ROLE_RENDER, GS_ROLE_WORKER));  // frame threads hand over
    CHECK_FALSE(gs_preempts_own_process(GS_ROLE_GPU_SUBMIT, GS_ROLE_RENDER));
    CHECK_FALSE(gs_preempts_own_process(GS_ROLE_NONE, GS_ROLE_NONE));  // a process not known as a game
}

TEST_CASE("at a slice's end a CPU-bound task keeps its CPU unless an earlier deadline waits") {
    const u64 cap = 20'000'000, own = 5'000'000'000;
    CHECK(gs_keeps_cpu(0, 0, own, 0, cap));                // nothing waits: any task stays
    CHECK(gs_keeps_cpu(1, own + 1, own, cap, cap));        // a later deadline waits: the hog stays
    CHECK(gs_keeps_cpu(1, own, own, cap, cap));            // a tie is no reason to switch
    CHECK_FALSE(gs_keeps_cpu(1, own - 1, own, cap, cap));  // an earlier one takes the CPU
    // A short burst that used up its short slice leaves to whatever waits, later deadline or not.
    CHECK_FALSE(gs_keeps_cpu(1, own + cap, own, cap - 1, cap));
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
