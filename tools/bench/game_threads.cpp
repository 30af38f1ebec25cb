// The chain model's threads, and what every model shares (frame slots, audio, input). Frame k is
// due to start at start + k*P and to be complete by start + (k+1)*P. A thread that wakes after a
// whole period has passed marks the swallowed slots as never run, so a stall counts once per
// lost period.
#include <algorithm>

#include "tools/bench/clock.h"
#include "tools/bench/game_state.h"
#include "tools/bench/presenter.h"
#include "tools/bench/spin.h"

namespace gamesched::bench {
namespace {

// Sim may run at most kMaxFramesInFlight frames ahead of completion, as a real swap chain does.
bool wait_for_free_frame(GameShared& g, uint32_t frames_sent) {
    while (true) {
        const uint32_t completed = g.frames_completed.posted();
        if (frames_sent - completed < static_cast<uint32_t>(kMaxFramesInFlight)) return true;
        if (!g.frames_completed.wait_past(completed, g.stop)) return false;
    }
}

}  // namespace

int64_t start_frame(GameShared& g, int64_t slot, int64_t started) {
    const auto last = static_cast<int64_t>(g.frames.size()) - 1;
    const int64_t current = std::min(std::max(slot, (started - g.start_ns) / g.cfg.period_ns), last);
    for (; slot < current; ++slot) g.frames[static_cast<size_t>(slot)].sim_start_ns = started;  // swallowed
    g.frames[static_cast<size_t>(current)].sim_start_ns = started;
    return current;
}

void sim_thread(GameShared& g) {
    const auto capacity = static_cast<int64_t>(g.frames.size());
    uint32_t sent = 0;
    for (int64_t slot = 0; slot < capacity;) {
        sleep_until_ns(g.start_ns + slot * g.cfg.period_ns);
        if (g.stop.load(std::memory_order_relaxed)) break;
        if (!wait_for_free_frame(g, sent)) break;
        slot = start_frame(g, slot, now_ns());
        FrameRecord& frame = g.frames[static_cast<size_t>(slot)];
        // The freshest input is consumed here (a real sim reads its input queue each tick).
        (void)g.latest_input_ns.load(std::memory_order_acquire);
        spin_loops(g.loops.first);
        frame.render_post_ns = now_ns();
        g.to_render.push(slot);
        ++sent;
        for (int w = 0; w < g.cfg.workers; ++w) g.worker_jobs[static_cast<size_t>(w)].post();
        ++slot;
    }
}

void render_thread(GameShared& g) {
    for (uint32_t taken = 0; g.to_render.ready().wait_past(taken, g.stop); ++taken) {
        const int64_t slot = g.to_render.slot_at(taken);
        g.frames[static_cast<size_t>(slot)].render_start_ns = now_ns();
        spin_loops(g.loops.second);
        (g.cfg.chain > 0 ? g.to_stage[0] : g.to_submit).push(slot);
    }
}

void submit_thread(GameShared& g) {
    for (uint32_t taken = 0; g.to_submit.ready().wait_past(taken, g.stop); ++taken) {
        const int64_t slot = g.to_submit.slot_at(taken);
        spin_loops(g.loops.third);
        sleep_for_ns(g.cfg.fence_ns);  // the GPU renders; its fence wakes us from timer context
        g.frames[static_cast<size_t>(slot)].done_ns = now_ns();
        if (g.presenter) g.presenter->present(slot, g.frames);
        g.frames_completed.post();
    }
}

void audio_loop(std::span<AudioRecord> records, int64_t start_ns, int64_t period, uint64_t loops,
                const std::atomic<bool>& stop) {
    const auto capacity = static_cast<int64_t>(records.size());
    for (int64_t slot = 0; slot < capacity;) {
        sleep_until_ns(start_ns + slot * period);
        if (stop.load(std::memory_order_relaxed)) break;
        const int64_t woke = now_ns();
        const int64_t current = std::min(std::max(slot, (woke - start_ns) / period), capacity - 1);
        for (; slot < current; ++slot) records[static_cast<size_t>(slot)].wake_ns = woke;  // xruns
        AudioRecord& record = records[static_cast<size_t>(slot)];
        record.wake_ns = woke;
        spin_loops(loops);
        record.done_ns = now_ns();
        ++slot;
    }
}

void input_thread(GameShared& g, InputSource& source) {
    std::array<int64_t, 64> stamps{};
    while (!g.stop.load(std::memory_order_relaxed)) {
        int64_t woke = 0;
        auto got = source.wait(stamps, 50, woke);
        if (!got) {
            g.failure = got.error().message;
            return;
        }
        if (*got == 0) continue;
        g.input_events_total += *got;
        for (size_t i = 0; i < *got; ++i) {
            if (stamps[i] >= g.measure_from_ns && g.input_samples < g.input_latency_ns.size()) {
                g.input_latency_ns[g.input_samples++] = woke - stamps[i];
            }
        }
        spin_loops(g.loops.input);
        g.latest_input_ns.store(stamps[*got - 1], std::memory_order_release);
    }
}

// An extra stage of a longer frame chain: one more hand-off, one more wait for a CPU.
void stage_thread(GameShared& g, int stage) {
    FrameQueue& in = g.to_stage[static_cast<size_t>(stage)];
    FrameQueue& out = stage + 1 < g.cfg.chain ? g.to_stage[static_cast<size_t>(stage) + 1] : g.to_submit;
    for (uint32_t taken = 0; in.ready().wait_past(taken, g.stop); ++taken) {
        const int64_t slot = in.slot_at(taken);
        spin_loops(g.loops.stage);
        out.push(slot);
    }
}

// A game thread that never sleeps once the game runs (asset streaming, shader compilation): it
// competes with its own game's frame chain for the CPU. It starts with the first frame, as every
// thread does (so with --start-on-signal it wakes once after the game is registered), then works
// in 1-ms pieces only so that it notices `stop`.
void streamer_thread(GameShared& g) {
    const uint64_t piece = loops_for_us(g.cfg.loops_per_us * g.cfg.load_scale, 1000);
    sleep_until_ns(g.start_ns);
    while (!g.stop.load(std::memory_order_relaxed)) spin_loops(piece);
}

void worker_thread(GameShared& g, int worker) {
    Handoff& jobs = g.worker_jobs[static_cast<size_t>(worker)];
    for (uint32_t taken = 0; jobs.wait_past(taken, g.stop); ++taken) spin_loops(g.loops.job);
}

}  // namespace gamesched::bench
