#include "tools/bench/game_report.h"

#include <unistd.h>

#include "tools/bench/clock.h"
#include "tools/bench/stats.h"

namespace gamesched::bench {
namespace {

using nlohmann::json;

const char* model_name(GameModel model) {
    switch (model) {
        case GameModel::chain:
            return "chain";
        case GameModel::heavy:
            return "heavy";
        case GameModel::jobs:
            return "jobs";
        case GameModel::cursor:
            return "cursor";
    }
    return "unknown";
}

json optional_number(std::optional<double> v, double scale = 1.0) {
    return v ? json(*v * scale) : json(nullptr);
}

json deadline_json(const DeadlineOutcome& d) {
    json out = {{"periods", d.periods},
                {"misses", d.misses},
                {"skipped", d.skipped},
                {"late_beyond_period", d.late_beyond_period},
                {"miss_ratio", optional_number(d.miss_ratio())},
                {"late_beyond_period_ratio", optional_number(d.late_beyond_period_ratio())}};
    if (auto ci = wilson_interval(d.misses, d.periods)) out["miss_ratio_ci95"] = {ci->low, ci->high};
    return out;
}

json frame_metrics(const GameShared& g, int64_t window_end) {
    const int64_t period = g.cfg.period_ns;
    std::vector<PeriodRecord> periods;
    std::vector<double> completions_ms;
    std::vector<double> render_lateness_us;
    std::vector<double> sim_lateness_us;
    for (size_t k = 0; k < g.frames.size(); ++k) {
        const FrameRecord& f = g.frames[k];
        const int64_t target = g.start_ns + static_cast<int64_t>(k) * period;
        if (target < g.measure_from_ns || target + period > window_end) continue;
        periods.push_back({target, f.done_ns});
        if (f.sim_start_ns)
            sim_lateness_us.push_back(static_cast<double>(f.sim_start_ns - target) / kNsPerUs);
        if (f.render_start_ns && f.render_post_ns) {
            render_lateness_us.push_back(static_cast<double>(f.render_start_ns - f.render_post_ns) /
                                         kNsPerUs);
        }
        if (f.done_ns) completions_ms.push_back(static_cast<double>(f.done_ns) / kNsPerMs);
    }
    const DeadlineOutcome outcome = evaluate_deadlines(periods, period, g.measure_from_ns, window_end);
    const std::vector<double> frame_times = successive_differences(completions_ms);
    // How long a frame takes from its slot's start to done: what a player waits for (the
    // interval between completions cannot fall much below the period of a paced game).
    const std::vector<double> latencies_ms =
        period_latencies_ms(periods, period, g.measure_from_ns, window_end);
    json out = deadline_json(outcome);
    out["completed"] = completions_ms.size();
    // Frames completed per second of the window (late ones too): the frame rate a player sees.
    out["fps"] = outcome.periods ? json(static_cast<double>(completions_ms.size()) * kNsPerS /
                                        (static_cast<double>(outcome.periods) * static_cast<double>(period)))
                                 : json(nullptr);
    out["frame_time_p50_ms"] = optional_number(percentile(frame_times, 50));
    out["frame_time_p99_ms"] = optional_number(percentile(frame_times, 99));
    out["frame_latency_p50_ms"] = optional_number(percentile(latencies_ms, 50));
    out["frame_latency_p99_ms"] = optional_number(percentile(latencies_ms, 99));
    out["frame_time_worst1pct_mean_ms"] = optional_number(mean_of_worst(frame_times, 0.01));
    out["render_wake_lateness_p50_us"] = optional_number(percentile(render_lateness_us, 50));
    out["render_wake_lateness_p99_us"] = optional_number(percentile(render_lateness_us, 99));
    out["sim_wake_lateness_p50_us"] = optional_number(percentile(sim_lateness_us, 50));
    out["sim_wake_lateness_p99_us"] = optional_number(percentile(sim_lateness_us, 99));
    return out;
}

json audio_period_metrics(const GameShared& g, int64_t window_end) {
    const int64_t period = g.cfg.audio_period_ns;
    std::vector<PeriodRecord> periods;
    std::vector<double> lateness_us;
    for (size_t k = 0; k < g.audio.size(); ++k) {
        const int64_t target = g.start_ns + static_cast<int64_t>(k) * period;
        periods.push_back({target, g.audio[k].done_ns});
        if (target >= g.measure_from_ns && target + period <= window_end && g.audio[k].wake_ns) {
            lateness_us.push_back(static_cast<double>(g.audio[k].wake_ns - target) / kNsPerUs);
        }
    }
    json out = deadline_json(evaluate_deadlines(periods, period, g.measure_from_ns, window_end));
    out["wake_lateness_p50_us"] = optional_number(percentile(lateness_us, 50));
    out["wake_lateness_p99_us"] = optional_number(percentile(lateness_us, 99));
    return out;
}

json input_metrics(const GameShared& g, const std::string& description) {
    std::vector<double> latency_us;
    for (size_t i = 0; i < g.input_samples; ++i)
        latency_us.push_back(static_cast<double>(g.input_latency_ns[i]) / kNsPerUs);
    return {{"source", description},
            {"events", g.input_events_total},
            {"samples", g.input_samples},
            {"start_latency_p50_us", optional_number(percentile(latency_us, 50))},
            {"start_latency_p99_us", optional_number(percentile(latency_us, 99))}};
}

// With a stand-in compositor: a frame counts as shown when the compositor finished it by the
// frame's deadline. Which side lost a frame: `compositor_late` counts frames the game finished
// in time and the compositor did not; the compositor's latency is from the game's done to shown.
json shown_metrics(const GameShared& g, int64_t window_end) {
    const int64_t period = g.cfg.period_ns;
    std::vector<PeriodRecord> periods;
    std::vector<double> compositor_us;
    uint64_t compositor_late = 0;
    for (size_t k = 0; k < g.frames.size(); ++k) {
        const FrameRecord& f = g.frames[k];
        const int64_t target = g.start_ns + static_cast<int64_t>(k) * period;
        periods.push_back({target, f.shown_ns});
        if (target < g.measure_from_ns || target + period > window_end || !f.done_ns) continue;
        if (f.shown_ns) compositor_us.push_back(static_cast<double>(f.shown_ns - f.done_ns) / kNsPerUs);
        const int64_t deadline = target + period;
        if (f.done_ns <= deadline && (!f.shown_ns || f.shown_ns > deadline)) ++compositor_late;
    }
    json out = deadline_json(evaluate_deadlines(periods, period, g.measure_from_ns, window_end));
    out["compositor_late"] = compositor_late;
    out["compositor_latency_p50_us"] = optional_number(percentile(compositor_us, 50));
    out["compositor_latency_p99_us"] = optional_number(percentile(compositor_us, 99));
    return out;
}

}  // namespace

json audio_metrics(const GameShared& g, int64_t window_end_ns) {
    return audio_period_metrics(g, window_end_ns);
}

json game_report(const GameShared& g, int64_t window_end_ns, const std::string& input_description) {
    json threads = json::array();
    double game_cpu_ms = 0;
    for (const auto& t : g.thread_stats) {
        threads.push_back(to_json(t));
        game_cpu_ms += t.cpu_ms;
    }
    json frames = frame_metrics(g, window_end_ns);
    json audio = audio_period_metrics(g, window_end_ns);
    json input = input_metrics(g, input_description);
    const double measured_s = static_cast<double>(window_end_ns - g.measure_from_ns) / kNsPerS;
    json detail = {{"frames", frames}, {"audio", audio}, {"input", input}};
    json shown = nullptr;
    if (!g.cfg.compositor.empty()) {
        detail["shown"] = shown_metrics(g, window_end_ns);
        shown = detail["shown"]["misses"];
    }
    return {{"bench", "game"},
            {"model", model_name(g.cfg.model)},
            {"pid", getpid()},
            {"loops_per_us", g.cfg.loops_per_us},
            {"period_us", static_cast<double>(g.cfg.period_ns) / kNsPerUs},
            {"fence_us", static_cast<double>(g.cfg.fence_ns) / kNsPerUs},
            {"audio_period_us", static_cast<double>(g.cfg.audio_period_ns) / kNsPerUs},
            {"load_scale", g.cfg.load_scale},
            {"chain", g.cfg.chain},
            {"duration_s", g.cfg.duration_s},
            {"warmup_s", g.cfg.warmup_s},
            {"measured_s", measured_s},
            {"descriptive_names", g.cfg.descriptive_names},
            {"threads", threads},
            {"game_cpu_ms", game_cpu_ms},
            {"frames", frames["periods"]},
            {"frame_misses", frames["misses"]},
            {"frame_miss_ratio", frames["miss_ratio"]},
            {"frame_late_beyond_period_ratio", frames["late_beyond_period_ratio"]},
            {"fps", frames["fps"]},
            {"frame_time_p50_ms", frames["frame_time_p50_ms"]},
            {"frame_time_p99_ms", frames["frame_time_p99_ms"]},
            {"frame_latency_p50_ms", frames["frame_latency_p50_ms"]},
            {"frame_latency_p99_ms", frames["frame_latency_p99_ms"]},
            {"render_wake_lateness_p50_us", frames["render_wake_lateness_p50_us"]},
            {"render_wake_lateness_p99_us", frames["render_wake_lateness_p99_us"]},
            {"shown_misses", shown},
            {"shown_miss_ratio", shown.is_null() ? shown : detail["shown"]["miss_ratio"]},
            {"audio_periods", audio["periods"]},
            {"audio_misses", audio["misses"]},
            {"input_events", input["samples"]},
            {"input_start_latency_p50_us", input["start_latency_p50_us"]},
            {"input_start_latency_p99_us", input["start_latency_p99_us"]},
            {"detail", detail}};
}

}  // namespace gamesched::bench
