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

u32 classify(const gs_behaviour& b, u32 current = GS_ROLE_WORKER) {
    return gs_classify(&b, current);
}

}  // namespace

TEST_CASE("too few samples: no role yet beyond worker") {
    gs_behaviour b = seen(16 * kMs, 2 * kMs);
    b.nr_wakeups = GS_ROLE_MIN_SAMPLES - 1;
    b.input_wake_pct = 100;
    CHECK(gs_classify(&b, GS_ROLE_WORKER) == GS_ROLE_WORKER);
}

TEST_CASE("a thread that wakes right after input events is the input handler") {
    gs_behaviour b = seen(5 * kMs, 50 * kUs);
    b.input_wake_pct = 80;
    CHECK(gs_classify(&b, GS_ROLE_WORKER) == GS_ROLE_INPUT);
}

TEST_CASE("the middle of the frame chain is render; what it wakes is the submitter") {
    gs_behaviour render = seen(16 * kMs, 400 * kUs);
    render.woken_by_peer_pct = 90;
    render.wakes_peer_pct = 45;  // the submitter is not always asleep when render hands over
    render.forwards_pct = 45;
    CHECK(gs_classify(&render, GS_ROLE_WORKER) == GS_ROLE_RENDER);

    gs_behaviour submit = seen(8 * kMs, 200 * kUs);  // woken by render, then by its fence timer
    submit.woken_by_peer_pct = 50;
    submit.woken_by_render_pct = 50;
    CHECK(gs_classify(&submit, GS_ROLE_WORKER) == GS_ROLE_GPU_SUBMIT);
}

TEST_CASE("the timer-driven frame driver and its workers stay workers") {
    gs_behaviour driver = seen(16 * kMs, 300 * kUs);
    driver.wakes_peer_pct = 100;  // wakes render and workers, woken by its timer
    CHECK(gs_classify(&driver, GS_ROLE_WORKER) == GS_ROLE_WORKER);

    gs_behaviour worker = seen(16 * kMs, 300 * kUs);
    worker.woken_by_peer_pct = 100;  // woken by the driver, which is not render
    CHECK(gs_classify(&worker, GS_ROLE_WORKER) == GS_ROLE_WORKER);
}

TEST_CASE("short regular timer-driven bursts are audio; long or peer-driven ones are not") {
    CHECK(classify(seen(5 * kMs, 150 * kUs)) == GS_ROLE_AUDIO);
    gs_behaviour heavy = seen(5 * kMs, 3 * kMs);
    CHECK(gs_classify(&heavy, GS_ROLE_WORKER) == GS_ROLE_WORKER);
    gs_behaviour fed = seen(2 * kMs, 50 * kUs);
    fed.woken_by_peer_pct = 100;  // an input thread fed by a peer over a pipe
    CHECK(gs_classify(&fed, GS_ROLE_WORKER) == GS_ROLE_WORKER);
}

TEST_CASE("a CPU hog never gets a latency role") {
    CHECK(classify(seen(40 * kMs, 40 * kMs)) == GS_ROLE_WORKER);
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
    CHECK(gs_classify(&starved, GS_ROLE_WORKER) == GS_ROLE_AUDIO);
}

TEST_CASE("timer wakeups that land while a peer runs do not hide an audio thread") {
    gs_behaviour audio = seen(5 * kMs, 480 * kUs);
    audio.woken_by_peer_pct = 35;  // the interrupted task counts as the waker
    CHECK(gs_classify(&audio, GS_ROLE_WORKER) == GS_ROLE_AUDIO);
}

// A job-system engine (not the shape the rules were first written for): a main thread fans jobs
// out on its frame timer and is woken back by the workers; a present thread runs on a vsync
// timer; audio lives in another process.
TEST_CASE("job system: main and job workers are workers, a vsync-paced present thread is timer-paced") {
    gs_behaviour main = seen(3 * kMs, 150 * kUs);  // woken once by its timer, then per job done
    main.woken_by_peer_pct = 70;
    main.wakes_peer_pct = 30;  // fans out in its timer activation only
    main.forwards_pct = 0;     // never passes on what a peer woke it for
    CHECK(classify(main) == GS_ROLE_WORKER);
    CHECK(classify(main, GS_ROLE_RENDER) == GS_ROLE_WORKER);

    gs_behaviour job = seen(8 * kMs, 300 * kUs);
    job.woken_by_peer_pct = 100;
    job.wakes_peer_pct = 55;  // answers main (its own waker)
    job.forwards_pct = 0;
    CHECK(classify(job) == GS_ROLE_WORKER);

    gs_behaviour present = seen(8333 * kUs, 500 * kUs);  // vsync timer, 6 % of the frame
    CHECK(classify(present) == GS_ROLE_AUDIO);
}

TEST_CASE("one hot main thread: the heavy driver is a worker, the chain behind it keeps its roles") {
    gs_behaviour main = seen(8333 * kUs, 2900 * kUs);  // 35 % of the frame, timer-driven
    main.wakes_peer_pct = 100;
    CHECK(classify(main) == GS_ROLE_WORKER);
    gs_behaviour render = seen(8333 * kUs, 400 * kUs);
    render.woken_by_peer_pct = 100;
    render.wakes_peer_pct = 100;
    render.forwards_pct = 100;
    CHECK(classify(render) == GS_ROLE_RENDER);
}

TEST_CASE("rules are relative to the thread's own period: the same shape at another rate keeps its role") {
    for (u64 period : {4 * kMs, 8 * kMs, 16 * kMs, 33 * kMs}) {
        CHECK(classify(seen(period, period / 20)) == GS_ROLE_AUDIO);  // 5 % duty
        CHECK(classify(seen(period, period / 2)) == GS_ROLE_WORKER);  // 50 % duty
    }
    CHECK(classify(seen(1000 * kMs, 5 * kMs)) == GS_ROLE_WORKER);  // once a second: housekeeping
}

TEST_CASE("hysteresis: a held role survives evidence that would not have been enough to enter it") {
    gs_behaviour render = seen(16 * kMs, 400 * kUs);
    render.woken_by_peer_pct = 90;
    render.forwards_pct = 15;  // fewer hand-overs this while (the consumer was busy)
    CHECK(classify(render, GS_ROLE_WORKER) == GS_ROLE_WORKER);
    CHECK(classify(render, GS_ROLE_RENDER) == GS_ROLE_RENDER);
    render.forwards_pct = 5;  // far below: it lets go
    CHECK(classify(render, GS_ROLE_RENDER) == GS_ROLE_WORKER);

    gs_behaviour audio = seen(5 * kMs, 1750 * kUs);  // 35 % duty: audio keeps it, nobody enters
    CHECK(classify(audio, GS_ROLE_AUDIO) == GS_ROLE_AUDIO);
    CHECK(classify(audio, GS_ROLE_WORKER) == GS_ROLE_WORKER);
}
