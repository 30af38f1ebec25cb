// Role inference rules, compiled from the header the BPF scheduler uses.
#include <catch2/catch_test_macros.hpp>

extern "C" {
#include "bpf/roles.h"
}

namespace {

constexpr u64 kMs = 1000000ULL, kUs = 1000ULL;

gs_behaviour seen(u64 period, u64 burst) {
    gs_behaviour b{};
    b.avg_period_ns = period;
    b.avg_burst_ns = burst;
    b.nr_wakeups = 100;
    return b;
}

}  // namespace

TEST_CASE("too few samples: no role yet beyond worker") {
    gs_behaviour b = seen(16 * kMs, 2 * kMs);
    b.nr_wakeups = GS_ROLE_MIN_SAMPLES - 1;
    b.input_wake_pct = 100;
    CHECK(gs_classify(&b) == GS_ROLE_WORKER);
}

TEST_CASE("a thread that wakes right after input events is the input handler") {
    gs_behaviour b = seen(5 * kMs, 50 * kUs);
    b.input_wake_pct = 80;
    CHECK(gs_classify(&b) == GS_ROLE_INPUT);
}

TEST_CASE("the middle of the frame chain is render; what it wakes is the submitter") {
    gs_behaviour render = seen(16 * kMs, 400 * kUs);
    render.woken_by_peer_pct = 90;
    render.wakes_peer_pct = 90;
    CHECK(gs_classify(&render) == GS_ROLE_RENDER);

    gs_behaviour submit = seen(8 * kMs, 200 * kUs);  // woken by render, then by its fence timer
    submit.woken_by_peer_pct = 50;
    submit.woken_by_render_pct = 50;
    CHECK(gs_classify(&submit) == GS_ROLE_GPU_SUBMIT);
}

TEST_CASE("the timer-driven frame driver and its workers stay workers") {
    gs_behaviour driver = seen(16 * kMs, 300 * kUs);
    driver.wakes_peer_pct = 100;  // wakes render and workers, woken by its timer
    CHECK(gs_classify(&driver) == GS_ROLE_WORKER);

    gs_behaviour worker = seen(16 * kMs, 300 * kUs);
    worker.woken_by_peer_pct = 100;  // woken by the driver, which is not render
    CHECK(gs_classify(&worker) == GS_ROLE_WORKER);
}

TEST_CASE("short regular timer-driven bursts are audio; long or peer-driven ones are not") {
    CHECK(gs_classify(&(const gs_behaviour&)seen(5 * kMs, 150 * kUs)) == GS_ROLE_AUDIO);
    gs_behaviour heavy = seen(5 * kMs, 3 * kMs);
    CHECK(gs_classify(&heavy) == GS_ROLE_WORKER);
    gs_behaviour fed = seen(2 * kMs, 50 * kUs);
    fed.woken_by_peer_pct = 100;  // an input thread fed by a peer over a pipe
    CHECK(gs_classify(&fed) == GS_ROLE_WORKER);
}

TEST_CASE("a CPU hog never gets a latency role") {
    CHECK(gs_classify(&(const gs_behaviour&)seen(40 * kMs, 40 * kMs)) == GS_ROLE_WORKER);
}

TEST_CASE("moving averages and ratios converge and stay in range") {
    CHECK(gs_ewma(0, 800) == 800);
    u64 avg = 800;
    for (int i = 0; i < 100; ++i) avg = gs_ewma(avg, 1600);
    CHECK(avg > 1500);
    CHECK(avg <= 1600);
    u32 ratio = 0;
    for (int i = 0; i < 50; ++i) ratio = gs_ratio_update(ratio, 1);
    CHECK(ratio == 100);
    for (int i = 0; i < 50; ++i) ratio = gs_ratio_update(ratio, 0);
    CHECK(ratio == 0);
}

TEST_CASE("a starved audio thread that skips periods is still recognised as audio") {
    gs_behaviour starved = seen(28 * kMs, 2100 * kUs);
    starved.wakes_peer_pct = 13;
    starved.woken_by_peer_pct = 7;
    CHECK(gs_classify(&starved) == GS_ROLE_AUDIO);
}

TEST_CASE("timer wakeups that land while a peer runs do not hide an audio thread") {
    gs_behaviour audio = seen(5 * kMs, 480 * kUs);
    audio.woken_by_peer_pct = 35;  // the interrupted task counts as the waker
    CHECK(gs_classify(&audio) == GS_ROLE_AUDIO);
}
