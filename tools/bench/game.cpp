// `gamesched-bench game`: the synthetic game. Threads carry neutral names unless
// --descriptive-names is given, because the scheduler must recognise roles from behaviour.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <optional>
#include <thread>

#include "tools/bench/args.h"
#include "tools/bench/audio_process.h"
#include "tools/bench/clock.h"
#include "tools/bench/commands.h"
#include "tools/bench/game_report.h"
#include "tools/bench/game_state.h"
#include "tools/bench/presenter.h"
#include "tools/bench/spin.h"

namespace gamesched::bench {
namespace {

Result<GameModel> parse_model(const std::string& name) {
    if (name == "chain") return GameModel::chain;
    if (name == "heavy") return GameModel::heavy;
    if (name == "jobs") return GameModel::jobs;
    if (name == "cursor") return GameModel::cursor;
    return Error::invalid("--model wants chain, heavy, jobs or cursor, got '" + name + "'");
}

// What a model brings unless an option says otherwise.
GameConfig model_defaults(GameModel model) {
    GameConfig c;
    c.model = model;
    c.workers = model == GameModel::chain ? 2 : model == GameModel::jobs ? 3 : 0;
    if (model == GameModel::jobs) {
        c.audio_period_ns = 10'000'000;  // 480 samples at 48 kHz, a common engine period
        c.audio_work_us = 300;
    }
    return c;
}

Result<GameConfig> parse_game_config(const Argv& argv) {
    auto parsed = Args::parse(argv, {"--descriptive-names", "--start-on-signal"});
    if (!parsed) return parsed.error();
    Args& a = *parsed;
    auto model = parse_model(a.text("--model").value_or("chain"));
    if (!model) return model.error();
    GameConfig c = model_defaults(*model);
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
        {"--audio-period-us", static_cast<double>(c.audio_period_ns) / kNsPerUs, 500, 1e6,
         [&](double v) { c.audio_period_ns = static_cast<int64_t>(v * kNsPerUs); }},
        {"--input-hz", c.input_hz, 1, 10000, [&](double v) { c.input_hz = v; }},
        {"--workers", static_cast<double>(c.workers), 0, kMaxWorkers,
         [&](double v) { c.workers = static_cast<int>(v); }},
        {"--chain", 0, 0, kMaxChain, [&](double v) { c.chain = static_cast<int>(v); }},
        {"--streamers", 0, 0, kMaxStreamers, [&](double v) { c.streamers = static_cast<int>(v); }},
        {"--jobs", static_cast<double>(c.jobs_per_frame), 0, 256,
         [&](double v) { c.jobs_per_frame = static_cast<int>(v); }},
        {"--load-scale", c.load_scale, 0, 10, [&](double v) { c.load_scale = v; }},
        {"--loops-per-us", 0, 0, 1e6, [&](double v) { c.loops_per_us = v; }},
    };
    for (const auto& n : numbers) {
        auto v = a.number(n.name, n.fallback, n.min, n.max);
        if (!v) return v.error();
        n.apply(*v);
    }
    if (c.warmup_s >= c.duration_s) return Error::invalid("--warmup must be shorter than --duration");
    if (c.chain > 0 && c.model != GameModel::chain && c.model != GameModel::heavy)
        return Error::invalid("--chain lengthens the chain and heavy models' frame chain only");
    if (c.model == GameModel::jobs && c.jobs_per_frame > 0 && c.workers == 0)
        return Error::invalid("the jobs model needs --workers of at least 1 to run its jobs");
    c.input_device = a.text("--input").value_or("");
    c.compositor = a.text("--compositor").value_or("");
    c.descriptive_names = a.flag("--descriptive-names");
    c.start_on_signal = a.flag("--start-on-signal");
    if (auto s = a.check_all_used(); !s) return s.error();
    return c;
}

WorkLoops work_loops(const GameConfig& c) {
    const double per_us = c.loops_per_us * c.load_scale;
    const double period_us = static_cast<double>(c.period_ns) / kNsPerUs;
    const StageShares share = stage_shares(c.model);
    return {.first = loops_for_us(per_us, share.first * period_us),
            .second = loops_for_us(per_us, share.second * period_us),
            .third = loops_for_us(per_us, share.third * period_us),
            .job = loops_for_us(per_us, share.job * period_us),
            .audio = loops_for_us(per_us, c.audio_work_us),
            .input = loops_for_us(per_us, c.input_work_us),
            .stage = loops_for_us(per_us, kStageShare * period_us)};
}

void allocate_buffers(GameShared& g) {
    const double span_ns = g.cfg.duration_s * kNsPerS;
    if (g.cfg.model != GameModel::cursor) {
        g.frames.resize(static_cast<size_t>(span_ns / static_cast<double>(g.cfg.period_ns)) + 8);
        g.audio.resize(static_cast<size_t>(span_ns / static_cast<double>(g.cfg.audio_period_ns)) + 8);
    }
    g.input_latency_ns.resize(static_cast<size_t>(g.cfg.duration_s * g.cfg.input_hz * 1.5) + 1024);
}

struct PlannedThread {
    std::string role;
    std::string descriptive_name;
    std::function<void()> body;
};

// The model's threads besides the process's main thread, which only starts and stops them.
std::vector<PlannedThread> plan_threads(GameShared& g, InputSource& source) {
    std::vector<PlannedThread> plan;
    const int workers = g.cfg.workers;
    switch (g.cfg.model) {
        case GameModel::chain:
        case GameModel::heavy:
            plan.push_back({"sim", "sim", [&g] { sim_thread(g); }});
            plan.push_back({"render", "render", [&g] { render_thread(g); }});
            plan.push_back({"submit", "submit", [&g] { submit_thread(g); }});
            plan.push_back({"audio", "audio", [&g] {
                                audio_loop(g.audio, g.start_ns, g.cfg.audio_period_ns, g.loops.audio, g.stop);
                            }});
            break;
        case GameModel::jobs:
            plan.push_back({"sim", "game-loop", [&g] { jobs_main_thread(g); }});
            plan.push_back({"render", "render", [&g] { vsync_render_thread(g); }});
            break;
        case GameModel::cursor:
            break;
    }
    plan.push_back({"input", "input", [&g, &source] { input_thread(g, source); }});
    for (int w = 0; w < workers; ++w) {
        if (g.cfg.model == GameModel::jobs)
            plan.push_back({"worker", "job-worker-" + std::to_string(w), [&g] { jobs_worker_thread(g); }});
        else
            plan.push_back({"worker", "worker-" + std::to_string(w), [&g, w] { worker_thread(g, w); }});
    }
    for (int st = 0; st < g.cfg.chain; ++st)
        plan.push_back({"stage", "stage-" + std::to_string(st), [&g, st] { stage_thread(g, st); }});
    for (int st = 0; st < g.cfg.streamers; ++st)
        plan.push_back({"streamer", "streamer-" + std::to_string(st), [&g] { streamer_thread(g); }});
    return plan;
}

// Starts one game thread: it names itself, publishes its tid, runs, then records its own stats.
void spawn(std::vector<std::jthread>& threads, GameShared& g, size_t index, const PlannedThread& t) {
    const std::string name =
        g.cfg.descriptive_names ? t.descriptive_name : "gs-thread-" + std::to_string(index);
    threads.emplace_back([&g, index, role = t.role, name, body = t.body] {
        name_this_thread(name);
        g.tids[index].store(gettid());
        body();
        g.thread_stats[index] = this_thread_stats(role);
    });
}

// One line on stderr once every thread runs, so a test can look at the threads while they work.
void announce_threads(const GameShared& g, const std::vector<std::string>& roles, pid_t audio_pid) {
    for (int waited_ms = 0; waited_ms < 2000; ++waited_ms) {
        bool all_up = true;
        for (const auto& tid : g.tids) all_up = all_up && tid.load() != 0;
        if (all_up) break;
        sleep_for_ns(kNsPerMs);
    }
    nlohmann::json threads = nlohmann::json::array();
    for (size_t i = 0; i < roles.size(); ++i)
        threads.push_back({{"tid", g.tids[i].load()}, {"role", roles[i]}});
    nlohmann::json line = {{"event", "started"}, {"pid", getpid()}, {"threads", threads}};
    if (audio_pid > 0) line["audio_process"] = audio_pid;
    (void)std::fprintf(stderr, "%s\n", line.dump().c_str());
}

}  // namespace

StageShares stage_shares(GameModel model) {
    switch (model) {
        case GameModel::chain:
            return {.first = 0.04, .second = 0.06, .third = 0.02, .job = 0.03};
        case GameModel::heavy:
            return {.first = 0.35, .second = 0.05, .third = 0.03, .job = 0};
        case GameModel::jobs:
            return {.first = 0.02, .second = 0.02, .third = 0.05, .job = 0.01};
        case GameModel::cursor:
            return {};
    }
    return {};
}

// With --start-on-signal: announces the process, then waits for SIGUSR1 (or SIGTERM/SIGINT,
// which end it), so that whoever runs the bench can finish setting up around a process that
// exists (register it, start the background) before the game's first frame.
bool wait_for_start_signal() {
    sigset_t mask;
    sigemptyset(&mask);
    for (int sig : {SIGUSR1, SIGTERM, SIGINT}) sigaddset(&mask, sig);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    const std::string line = nlohmann::json{{"event", "waiting"}, {"pid", getpid()}}.dump();
    (void)std::fprintf(stderr, "%s\n", line.c_str());
    int sig = 0;
    while (sigwait(&mask, &sig) != 0) {
    }
    sigdelset(&mask, SIGUSR1);  // a repeated start signal stays harmless; termination works again
    sigprocmask(SIG_UNBLOCK, &mask, nullptr);
    return sig == SIGUSR1;
}

int run_game(const Argv& argv) {
    auto config = parse_game_config(argv);
    if (!config) return usage_error("game", config.error().message);
    GameConfig cfg = *config;
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);  // inherited by every thread: exact wake times
    if (cfg.loops_per_us <= 0) cfg.loops_per_us = calibrate_loops_per_us();
    if (cfg.start_on_signal && !wait_for_start_signal()) return 1;

    GameShared g(cfg);
    g.loops = work_loops(cfg);
    allocate_buffers(g);
    g.start_ns = now_ns() + 50 * kNsPerMs;  // every thread is up before the first slot
    g.measure_from_ns = g.start_ns + static_cast<int64_t>(cfg.warmup_s * kNsPerS);

    // Processes are forked before any thread exists.
    auto source = cfg.input_device.empty() ? InputSource::start_generator(cfg.input_hz, g.start_ns)
                                           : InputSource::open_device(cfg.input_device);
    if (!source) return usage_error("game", source.error().message);
    const std::vector<PlannedThread> plan = plan_threads(g, *source);
    std::optional<AudioProcess> audio;
    const std::string audio_name =
        cfg.descriptive_names ? "game-audio" : "gs-thread-" + std::to_string(plan.size() + 1);
    if (cfg.model == GameModel::jobs) {
        auto started =
            AudioProcess::start(g.audio.size(), g.start_ns, cfg.audio_period_ns, g.loops.audio, audio_name);
        if (!started) return usage_error("game", started.error().message);
        audio.emplace(std::move(*started));
    }
    std::unique_ptr<Presenter> presenter;
    if (!cfg.compositor.empty()) {
        auto connected = Presenter::connect(cfg.compositor);
        if (!connected) return usage_error("game", connected.error().message);
        presenter = std::move(*connected);
        g.presenter = presenter.get();
    }

    std::vector<std::string> roles = {"main"};
    for (const auto& t : plan) roles.push_back(t.role);
    g.thread_stats.resize(roles.size());
    g.tids = std::vector<std::atomic<pid_t>>(roles.size());
    name_this_thread(cfg.descriptive_names ? "game-main" : "gs-thread-0");
    g.tids[0].store(gettid());
    {
        std::vector<std::jthread> threads;
        for (size_t i = 0; i < plan.size(); ++i) spawn(threads, g, i + 1, plan[i]);
        sleep_until_ns(g.start_ns);
        announce_threads(g, roles, audio ? audio->pid() : -1);
        sleep_until_ns(g.start_ns + static_cast<int64_t>(cfg.duration_s * kNsPerS));
        g.stop.store(true);
    }  // joins every thread
    if (presenter) presenter->finish(g.frames, 500 * kNsPerMs);
    const int64_t window_end = g.start_ns + static_cast<int64_t>(cfg.duration_s * kNsPerS);
    g.thread_stats[0] = this_thread_stats("main");
    if (audio) {
        audio->stop();
        std::copy(audio->records().begin(), audio->records().end(), g.audio.begin());
        ThreadStats s = audio->stats();
        s.name = audio_name;
        g.thread_stats.push_back(s);
    }
    if (!g.failure.empty()) return usage_error("game", "input: " + g.failure);
    std::printf("%s\n", game_report(g, window_end, source->description()).dump().c_str());
    return 0;
}

}  // namespace gamesched::bench
