// `gamesched-bench audio-server`: a stand-in for the audio server (PipeWire's data loop), a
// separate process with one thread that wakes every period (5.33 ms: 256 frames at 48 kHz) to mix
// (a fixed amount of computation) and must be done before the next one. The same period logic
// and scoring as the game's own audio thread; prints one JSON object.
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "tools/bench/args.h"
#include "tools/bench/clock.h"
#include "tools/bench/commands.h"
#include "tools/bench/game_report.h"
#include "tools/bench/spin.h"
#include "tools/bench/thread_stats.h"

namespace gamesched::bench {

int run_audio_server(const Argv& argv) {
    auto parsed = Args::parse(argv, {"--start-on-signal"});
    if (!parsed) return usage_error("audio-server", parsed.error().message);
    Args& a = *parsed;
    auto duration = a.number("--duration", 5, 0.1, 3600);
    auto warmup = a.number("--warmup", 0, 0, 3600);
    auto period_us = a.number("--period-us", 5333.333, 500, 1e6);
    auto work_us = a.number("--work-us", 250, 0, 1e6);
    auto scale = a.number("--load-scale", 1, 0, 10);
    auto loops_per_us = a.number("--loops-per-us", 0, 0, 1e6);
    for (const auto* r : {&duration, &warmup, &period_us, &work_us, &scale, &loops_per_us}) {
        if (!*r) return usage_error("audio-server", r->error().message);
    }
    if (*warmup >= *duration) return usage_error("audio-server", "--warmup must be shorter than --duration");
    const bool start_on_signal = a.flag("--start-on-signal");
    if (auto s = a.check_all_used(); !s) return usage_error("audio-server", s.error().message);

    GameConfig cfg;
    cfg.duration_s = *duration;
    cfg.warmup_s = *warmup;
    cfg.audio_period_ns = static_cast<int64_t>(*period_us * kNsPerUs);
    cfg.audio_work_us = *work_us;
    cfg.load_scale = *scale;
    cfg.loops_per_us = *loops_per_us > 0 ? *loops_per_us : calibrate_loops_per_us();
    if (start_on_signal && !wait_for_start_signal()) return 1;
    GameShared g(cfg);
    g.loops.audio = loops_for_us(cfg.loops_per_us * cfg.load_scale, cfg.audio_work_us);
    g.audio.resize(static_cast<size_t>(cfg.duration_s * kNsPerS / static_cast<double>(cfg.audio_period_ns)) +
                   8);
    g.start_ns = now_ns() + 20 * kNsPerMs;
    g.measure_from_ns = g.start_ns + static_cast<int64_t>(cfg.warmup_s * kNsPerS);
    const int64_t window_end = g.start_ns + static_cast<int64_t>(cfg.duration_s * kNsPerS);
    ThreadStats stats;
    {
        std::jthread mixer([&g, &stats] {
            name_this_thread("gs-audio-server");
            audio_loop(g.audio, g.start_ns, g.cfg.audio_period_ns, g.loops.audio, g.stop);
            stats = this_thread_stats("audio-server");
        });
        sleep_until_ns(window_end);
        g.stop.store(true);
    }
    nlohmann::json out = audio_metrics(g, window_end);
    out["bench"] = "audio-server";
    out["pid"] = ::getpid();
    out["period_us"] = *period_us;
    out["work_us"] = *work_us * *scale;
    out["thread"] = to_json(stats);
    std::printf("%s\n", out.dump().c_str());
    return 0;
}

}  // namespace gamesched::bench
