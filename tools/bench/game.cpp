// `gamesched-bench game`: the synthetic game. Threads carry neutral names unless
// --descriptive-names is given, because the scheduler must recognise roles from behaviour.
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <optional>
#include <thread>

#include "tools/bench/args.h"
#include "tools/bench/clock.h"
#include "tools/bench/commands.h"
#include "tools/bench/game_report.h"
#include "tools/bench/game_state.h"
#include "tools/bench/spin.h"

namespace gamesched::bench {
namespace {

Result<GameConfig> parse_game_config(const Argv& argv) {
    auto parsed = Args::parse(argv, {"--descriptive-names"});
    if (!parsed) return parsed.error();
    Args& a = *parsed;
    GameConfig c;
    struct NumberOption {
        const char* name;
        double fallback, min, max;
        std::function<void(double)> apply;
    };
    const NumberOption numbers[] = {
        {"--duration", c.duration_s, 0.1, 3600, [&](double v) { c.duration_s = v; }},
        {"--warmup", c.warmup_s, 0, 3600, [&](double v) { c.warmup_s = v; }},
        {"--period-us", 16666.667, 1000, 1e6,
         [&](double v) { c.period_ns = static_cast<int64_t>(v * kNsPerUs); }},
        {"--fence-us", 3000, 0, 1e6, [&](double v) { c.fence_ns = static_cast<int64_t>(v * kNsPerUs); }},
        {"--audio-period-us", 5333.333, 500, 1e6,
         [&](double v) { c.audio_period_ns = static_cast<int64_t>(v * kNsPerUs); }},
        {"--input-hz", c.input_hz, 1, 10000, [&](double v) { c.input_hz = v; }},
        {"--workers", static_cast<double>(c.workers), 0, kMaxWorkers,
         [&](double v) { c.workers = static_cast<int>(v); }},
        {"--chain", 0, 0, kMaxChain, [&](double v) { c.chain = static_cast<int>(v); }},
        {"--load-scale", c.load_scale, 0, 10, [&](double v) { c.load_scale = v; }},
        {"--loops-per-us", 0, 0, 1e6, [&](double v) { c.loops_per_us = v; }},
    };
    for (const auto& n : numbers) {
        auto v = a.number(n.name, n.fallback, n.min, n.max);
        if (!v) return v.error();
        n.apply(*v);
    }
    if (c.warmup_s >= c.duration_s) return Error::invalid("--warmup must be shorter than --duration");
    c.input_device = a.text("--input").value_or("");
    c.descriptive_names = a.flag("--descriptive-names");
    if (auto s = a.check_all_used(); !s) return s.error();
    return c;
}

WorkLoops work_loops(const GameConfig& c) {
    const double per_us = c.loops_per_us * c.load_scale;
    const double period_us = static_cast<double>(c.period_ns) / kNsPerUs;
    return {.sim = loops_for_us(per_us, kSimShare * period_us),
            .render = loops_for_us(per_us, kRenderShare * period_us),
            .submit = loops_for_us(per_us, kSubmitShare * period_us),
            .worker = loops_for_us(per_us, kWorkerShare * period_us),
            .audio = loops_for_us(per_us, c.audio_work_us),
            .input = loops_for_us(per_us, c.input_work_us),
            .stage = loops_for_us(per_us, kStageShare * period_us)};
}

void allocate_buffers(GameShared& g) {
    const double span_ns = g.cfg.duration_s * kNsPerS;
    g.frames.resize(static_cast<size_t>(span_ns / static_cast<double>(g.cfg.period_ns)) + 8);
    g.audio.resize(static_cast<size_t>(span_ns / static_cast<double>(g.cfg.audio_period_ns)) + 8);
    g.input_latency_ns.resize(static_cast<size_t>(g.cfg.duration_s * g.cfg.input_hz * 1.5) + 1024);
}

// Starts one game thread: it names itself, publishes its tid, runs, then records its own stats.
void spawn(std::vector<std::jthread>& threads, GameShared& g, size_t index, std::string role,
           std::string name, std::function<void()> body) {
    if (!g.cfg.descriptive_names) name = "gs-thread-" + std::to_string(index);
    threads.emplace_back([&g, index, role = std::move(role), name = std::move(name), body = std::move(body)] {
        name_this_thread(name);
        g.tids[index].store(gettid());
        body();
        g.thread_stats[index] = this_thread_stats(role);
    });
}

// One line on stderr once every thread runs, so a test can look at the threads while they work.
void announce_threads(const GameShared& g, const std::vector<std::string>& roles) {
    for (int waited_ms = 0; waited_ms < 2000; ++waited_ms) {
        bool all_up = true;
        for (const auto& tid : g.tids) all_up = all_up && tid.load() != 0;
        if (all_up) break;
        sleep_for_ns(kNsPerMs);
    }
    nlohmann::json threads = nlohmann::json::array();
    for (size_t i = 0; i < roles.size(); ++i)
        threads.push_back({{"tid", g.tids[i].load()}, {"role", roles[i]}});
    const std::string line =
        nlohmann::json{{"event", "started"}, {"pid", getpid()}, {"threads", threads}}.dump();
    (void)std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace

int run_game(const Argv& argv) {
    auto config = parse_game_config(argv);
    if (!config) return usage_error("game", config.error().message);
    GameConfig cfg = *config;
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);  // inherited by every thread: exact wake times
    if (cfg.loops_per_us <= 0) cfg.loops_per_us = calibrate_loops_per_us();

    GameShared g(cfg);
    g.loops = work_loops(cfg);
    allocate_buffers(g);
    g.start_ns = now_ns() + 50 * kNsPerMs;  // every thread is up before the first slot
    g.measure_from_ns = g.start_ns + static_cast<int64_t>(cfg.warmup_s * kNsPerS);

    auto source = cfg.input_device.empty() ? InputSource::start_generator(cfg.input_hz, g.start_ns)
                                           : InputSource::open_device(cfg.input_device);
    if (!source) return usage_error("game", source.error().message);

    std::vector<std::string> roles = {"main", "sim", "render", "submit", "audio", "input"};
    for (int w = 0; w < cfg.workers; ++w) roles.push_back("worker");
    for (int s = 0; s < cfg.chain; ++s) roles.push_back("stage");
    g.thread_stats.resize(roles.size());
    g.tids = std::vector<std::atomic<pid_t>>(roles.size());
    name_this_thread(cfg.descriptive_names ? "game-main" : "gs-thread-0");
    g.tids[0].store(gettid());
    {
        std::vector<std::jthread> threads;
        spawn(threads, g, 1, "sim", "sim", [&g] { sim_thread(g); });
        spawn(threads, g, 2, "render", "render", [&g] { render_thread(g); });
        spawn(threads, g, 3, "submit", "submit", [&g] { submit_thread(g); });
        spawn(threads, g, 4, "audio", "audio", [&g] { audio_thread(g); });
        spawn(threads, g, 5, "input", "input", [&g, &source] { input_thread(g, *source); });
        for (int w = 0; w < cfg.workers; ++w) {
            spawn(threads, g, 6 + static_cast<size_t>(w), "worker", "worker-" + std::to_string(w),
                  [&g, w] { worker_thread(g, w); });
        }
        for (int s = 0; s < cfg.chain; ++s) {
            spawn(threads, g, 6 + static_cast<size_t>(cfg.workers + s), "stage", "stage-" + std::to_string(s),
                  [&g, s] { stage_thread(g, s); });
        }
        sleep_until_ns(g.start_ns);
        announce_threads(g, roles);
        sleep_until_ns(g.start_ns + static_cast<int64_t>(cfg.duration_s * kNsPerS));
        g.stop.store(true);
    }  // joins every thread
    const int64_t window_end = g.start_ns + static_cast<int64_t>(cfg.duration_s * kNsPerS);
    g.thread_stats[0] = this_thread_stats("main");
    if (!g.failure.empty()) return usage_error("game", "input: " + g.failure);
    std::printf("%s\n", game_report(g, window_end, source->description()).dump().c_str());
    return 0;
}

}  // namespace gamesched::bench
