// The synthetic game's configuration and the state its threads share. Every sample buffer is
// allocated before the threads start; threads only write their own fields of their own slots.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tools/bench/handoff.h"
#include "tools/bench/input_source.h"
#include "tools/bench/thread_stats.h"

namespace gamesched::bench {

// The shapes of game the bench models (docs/benchmarks.md, "The synthetic games"). None of them
// may need a constant in the scheduler: they are the proof that its roles generalise.
enum class GameModel {
    chain,   // sim -> render -> submit -> GPU fence, per frame; 2 job workers; audio thread
    heavy,   // the chain with one CPU-heavy sim (35/5/3 % of the period), no job workers
    jobs,    // engine job system: main fans out short jobs to a worker pool and waits for them;
             // render woken by a vsync-like timer; audio in a separate process
    cursor,  // only the input handler (a cursor under load)
};

struct GameConfig {
    GameModel model = GameModel::chain;
    double duration_s = 10;
    double warmup_s = 0;
    int64_t period_ns = 16'666'667;
    int64_t fence_ns = 3'000'000;
    int64_t audio_period_ns = 5'333'333;
    double audio_work_us = 250;
    double input_hz = 500;
    double input_work_us = 30;
    int workers = 2;
    int jobs_per_frame = 6;
    int chain = 0;             // extra frame stages between render and submit (a longer frame chain)
    int streamers = 0;         // CPU-bound threads of the game itself (asset streaming, shaders)
    double load_scale = 1.0;   // multiplies every work amount
    std::string input_device;  // empty: the pipe generator
    std::string compositor;    // socket of `gamesched-bench compositor`; empty: none
    bool descriptive_names = false;
    bool start_on_signal = false;  // announce the process, start the first frame on SIGUSR1
    double loops_per_us = 0;       // 0: calibrate at start
};

// Share of the frame period each stage computes for (the appendix of benchmark-design.md: a
// light chain separates schedulers under load, a heavy one saturates every scheduler).
struct StageShares {
    double first = 0;   // chain: sim; jobs: main before the jobs
    double second = 0;  // chain: render; jobs: main after the jobs
    double third = 0;   // chain: submit; jobs: render
    double job = 0;     // chain: each worker's job; jobs: each job
};
StageShares stage_shares(GameModel model);

// The jobs model's render thread wakes at this phase of every period (its "vsync").
constexpr double kRenderTimerPhase = 0.5;
constexpr int kMaxFramesInFlight = 2;
constexpr int kMaxWorkers = 16;
constexpr int kMaxChain = 8;
constexpr int kMaxStreamers = 4;
constexpr double kStageShare = 0.05;  // each extra chain stage's share of the period

struct FrameRecord {
    int64_t sim_start_ns = 0;    // sim got the CPU for this slot (for a skipped slot: when it noticed)
    int64_t render_post_ns = 0;  // sim handed the frame to render
    int64_t render_start_ns = 0;
    int64_t done_ns = 0;   // submit handled the fence; 0 if never
    int64_t shown_ns = 0;  // the stand-in compositor composited it (--compositor); 0 if never
};

struct AudioRecord {
    int64_t wake_ns = 0;
    int64_t done_ns = 0;
};

struct WorkLoops {
    uint64_t first = 0, second = 0, third = 0, job = 0, audio = 0, input = 0, stage = 0;
};

// A ring big enough for every frame in flight: sim never runs more than kMaxFramesInFlight ahead.
class FrameQueue {
public:
    void push(int64_t slot) {
        slots_[pushed_ % slots_.size()] = slot;
        ++pushed_;
        ready_.post();
    }
    Handoff& ready() { return ready_; }
    int64_t slot_at(uint32_t index) const { return slots_[index % slots_.size()]; }

private:
    std::array<int64_t, 8> slots_{};
    uint32_t pushed_ = 0;
    Handoff ready_;
};

// The jobs model's per-frame fan-out: main resets the board and posts `generation`; workers
// take job indices until none is left; whoever finishes the last job posts `done`.
struct JobBoard {
    Handoff generation;
    std::atomic<int> next_job{0};
    std::atomic<int> finished{0};
    int total = 0;
    Handoff done;
};

class Presenter;

struct GameShared {
    explicit GameShared(const GameConfig& c) : cfg(c) {}

    const GameConfig cfg;
    WorkLoops loops;
    int64_t start_ns = 0;
    int64_t measure_from_ns = 0;
    std::atomic<bool> stop{false};

    std::vector<FrameRecord> frames;
    std::vector<AudioRecord> audio;
    std::vector<int64_t> input_latency_ns;
    size_t input_samples = 0;
    uint64_t input_events_total = 0;
    std::atomic<int64_t> latest_input_ns{0};

    FrameQueue to_render;
    FrameQueue to_submit;
    std::array<FrameQueue, kMaxChain> to_stage;  // render -> stage 0 -> ... -> submit
    Handoff frames_completed;
    std::array<Handoff, kMaxWorkers> worker_jobs;
    JobBoard jobs;
    std::atomic<int64_t> latest_frame{-1};  // jobs model: the newest frame main finished
    Handoff frame_published;

    Presenter* presenter = nullptr;  // hands finished frames to the compositor (presenter.h)

    std::vector<ThreadStats> thread_stats;
    std::vector<std::atomic<pid_t>> tids;
    std::string failure;  // set by the input thread if its source breaks
};

// The thread bodies; each returns once `stop` is set. The chain (and heavy) model
// (game_threads.cpp):
void sim_thread(GameShared& g);
void render_thread(GameShared& g);
void submit_thread(GameShared& g);
void worker_thread(GameShared& g, int worker);
void stage_thread(GameShared& g, int stage);
void streamer_thread(GameShared& g);
// The jobs model (game_jobs.cpp):
void jobs_main_thread(GameShared& g);
void jobs_worker_thread(GameShared& g);
void vsync_render_thread(GameShared& g);
// Every model:
// Frame slot bookkeeping for a thread that starts frames: called when it got the CPU at
// `started` for `slot`; marks every slot it slept through as never run and returns the slot to
// work on now (the one whose period contains `started`).
int64_t start_frame(GameShared& g, int64_t slot, int64_t started);
void input_thread(GameShared& g, InputSource& source);
// Audio periods from start_ns on, each `loops` of work, recorded in `records` (which may live
// in memory shared with another process).
void audio_loop(std::span<AudioRecord> records, int64_t start_ns, int64_t period_ns, uint64_t loops,
                const std::atomic<bool>& stop);

}  // namespace gamesched::bench
