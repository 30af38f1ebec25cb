// The synthetic game's configuration and the state its threads share. Every sample buffer is
// allocated before the threads start; threads only write their own fields of their own slots.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/bench/handoff.h"
#include "tools/bench/input_source.h"
#include "tools/bench/thread_stats.h"

namespace gamesched::bench {

struct GameConfig {
    double duration_s = 10;
    double warmup_s = 0;
    int64_t period_ns = 16'666'667;
    int64_t fence_ns = 3'000'000;
    int64_t audio_period_ns = 5'333'333;
    double audio_work_us = 250;
    double input_hz = 500;
    double input_work_us = 30;
    int workers = 2;
    int chain = 0;             // extra frame stages between render and submit (a longer frame chain)
    double load_scale = 1.0;   // multiplies every work amount
    std::string input_device;  // empty: the pipe generator
    bool descriptive_names = false;
    double loops_per_us = 0;  // 0: calibrate at start
};

// Share of the frame period each stage computes for (the appendix of benchmark-design.md: a
// light chain separates schedulers under load, a heavy one saturates every scheduler).
constexpr double kSimShare = 0.04;
constexpr double kRenderShare = 0.06;
constexpr double kSubmitShare = 0.02;
constexpr double kWorkerShare = 0.03;
constexpr int kMaxFramesInFlight = 2;
constexpr int kMaxWorkers = 16;
constexpr int kMaxChain = 8;
constexpr double kStageShare = 0.05;  // each extra chain stage's share of the period

struct FrameRecord {
    int64_t sim_start_ns = 0;    // sim got the CPU for this slot (for a skipped slot: when it noticed)
    int64_t render_post_ns = 0;  // sim handed the frame to render
    int64_t render_start_ns = 0;
    int64_t done_ns = 0;  // submit handled the fence; 0 if never
};

struct AudioRecord {
    int64_t wake_ns = 0;
    int64_t done_ns = 0;
};

struct WorkLoops {
    uint64_t sim = 0, render = 0, submit = 0, worker = 0, audio = 0, input = 0, stage = 0;
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

    std::vector<ThreadStats> thread_stats;
    std::vector<std::atomic<pid_t>> tids;
    std::string failure;  // set by the input thread if its source breaks
};

// The thread bodies (game_threads.cpp); each returns once `stop` is set.
void sim_thread(GameShared& g);
void render_thread(GameShared& g);
void submit_thread(GameShared& g);
void audio_thread(GameShared& g);
void input_thread(GameShared& g, InputSource& source);
void worker_thread(GameShared& g, int worker);
void stage_thread(GameShared& g, int stage);

}  // namespace gamesched::bench
