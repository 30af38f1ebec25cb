// The jobs model: an engine job system. Each period, main computes, fans the frame's work out
// as short jobs to a pool of workers, waits until every job is done, computes again and
// publishes the frame. Render does not wait on a peer: a vsync-like timer wakes it at a fixed
// phase of every period, and it renders the newest frame main published (mailbox
// presentation), waiting only when none is new. The frame is complete when render is done.
#include <algorithm>

#include "tools/bench/clock.h"
#include "tools/bench/game_state.h"
#include "tools/bench/spin.h"

namespace gamesched::bench {
namespace {

// Runs every job of the current generation that no one has taken yet.
void take_jobs(GameShared& g) {
    JobBoard& board = g.jobs;
    while (board.next_job.fetch_add(1, std::memory_order_acq_rel) < board.total) {
        spin_loops(g.loops.job);
        if (board.finished.fetch_add(1, std::memory_order_acq_rel) + 1 == board.total) board.done.post();
    }
}

}  // namespace

void jobs_main_thread(GameShared& g) {
    const auto capacity = static_cast<int64_t>(g.frames.size());
    JobBoard& board = g.jobs;
    board.total = g.cfg.jobs_per_frame;
    uint32_t frames_done = 0;
    for (int64_t slot = 0; slot < capacity;) {
        sleep_until_ns(g.start_ns + slot * g.cfg.period_ns);
        if (g.stop.load(std::memory_order_relaxed)) break;
        slot = start_frame(g, slot, now_ns());
        (void)g.latest_input_ns.load(std::memory_order_acquire);
        spin_loops(g.loops.first);
        // Every job of the previous frame is finished, so no worker is inside one now.
        board.finished.store(0, std::memory_order_relaxed);
        board.next_job.store(0, std::memory_order_release);
        board.generation.post();
        if (board.total > 0 && !board.done.wait_past(frames_done++, g.stop)) break;
        spin_loops(g.loops.second);
        g.frames[static_cast<size_t>(slot)].render_post_ns = now_ns();
        g.latest_frame.store(slot, std::memory_order_release);
        g.frame_published.post();
        ++slot;
    }
}

void jobs_worker_thread(GameShared& g) {
    for (uint32_t taken = 0; g.jobs.generation.wait_past(taken, g.stop);) {
        taken = g.jobs.generation.posted();
        take_jobs(g);
    }
}

void vsync_render_thread(GameShared& g) {
    const int64_t period = g.cfg.period_ns;
    const auto phase = static_cast<int64_t>(kRenderTimerPhase * static_cast<double>(period));
    int64_t rendered = -1;
    for (int64_t tick = 0;;) {
        const int64_t vsync = g.start_ns + tick * period + phase;
        sleep_until_ns(vsync);
        if (g.stop.load(std::memory_order_relaxed)) return;
        // The newest frame; if main has published nothing new, wait for it (the one peer wake).
        while (true) {
            const uint32_t seen = g.frame_published.posted();
            if (g.latest_frame.load(std::memory_order_acquire) > rendered) break;
            if (!g.frame_published.wait_past(seen, g.stop)) return;
        }
        const int64_t slot = g.latest_frame.load(std::memory_order_acquire);
        FrameRecord& frame = g.frames[static_cast<size_t>(slot)];
        const int64_t started = now_ns();
        // "Ready" is the later of the tick and main's publication: lateness is the wait beyond it.
        frame.render_post_ns = std::max(frame.render_post_ns, vsync);
        frame.render_start_ns = started;
        spin_loops(g.loops.third);
        frame.done_ns = now_ns();
        rendered = slot;
        // The next tick after now: a render that overran skips the ticks it missed.
        tick = std::max(tick + 1, (frame.done_ns - g.start_ns - phase) / period + 1);
    }
}

}  // namespace gamesched::bench
