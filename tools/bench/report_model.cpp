#include "tools/bench/report_model.h"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>
#include <utility>

#include "tools/bench/report_budget.h"
#include "tools/bench/stats.h"

namespace gamesched::bench {

const std::vector<Arm>& arms() {
    static const std::vector<Arm> list = {{"eevdf", "EEVDF"},
                                          {"fifo", "FIFO"},
                                          {"gs-unknown", "gamesched, game unknown"},
                                          {"gs-game", "gamesched, game registered"}};
    return list;
}

const std::vector<MetricSpec>& table_metrics() {
    using K = MetricKind;
    static const std::vector<MetricSpec> metrics = {
        {"S0.frame_miss_ratio", "S0 idle: frame-miss ratio", true},
        {"S0.frame_latency_p99_ms", "S0 idle: p99 frame latency (ms)", true},
        {"S0.frame_time_p99_ms", "S0 idle: p99 frame interval (ms)", true},
        {"S1.frame_miss_ratio", "S1 chain: frame-miss ratio", true},
        {"S1.frame_late_beyond_period_ratio", "S1 chain: frames > 1 period late", true},
        {"S1.frame_latency_p50_ms", "S1 chain: p50 frame latency (ms)", true},
        {"S1.frame_latency_p99_ms", "S1 chain: p99 frame latency (ms)", true},
        {"S1.frame_time_p99_ms", "S1 chain: p99 frame interval (ms)", true},
        {"S1.audio_miss_ratio", "S1 chain: audio-miss ratio", true},
        {"S1.input_start_latency_p50_us", "S1 chain: input start p50 (us)", true},
        {"S1.input_start_latency_p99_us", "S1 chain: input start p99 (us)", true},
        {"S1.render_wake_lateness_p99_us", "S1 chain: render wake p99 (us)", true},
        {"S1.hog_loops_per_s", "S1 chain: hog loops/s", false, K::throughput},
        {"S1.forkexec_per_s", "S1 chain: fork/exec per s", false, K::throughput},
        {"J1.frame_miss_ratio", "J1 jobs: frame-miss ratio", true},
        {"J1.frame_late_beyond_period_ratio", "J1 jobs: frames > 1 period late", true},
        {"J1.frame_latency_p50_ms", "J1 jobs: p50 frame latency (ms)", true},
        {"J1.frame_latency_p99_ms", "J1 jobs: p99 frame latency (ms)", true},
        {"J1.frame_time_p99_ms", "J1 jobs: p99 frame interval (ms)", true},
        {"J1.audio_miss_ratio", "J1 jobs: audio-miss ratio (process)", true},
        {"J1.input_start_latency_p99_us", "J1 jobs: input start p99 (us)", true},
        {"J1.hog_loops_per_s", "J1 jobs: hog loops/s", false, K::throughput},
        {"H0.fps", "H0 heavy idle: frames/s", false},
        {"H0.frame_latency_p99_ms", "H0 heavy idle: p99 frame latency (ms)", true},
        {"H0.frame_time_p99_ms", "H0 heavy idle: p99 frame interval (ms)", true},
        {"H1.fps", "H1 heavy+build: frames/s", false},
        {"H1.frame_latency_p99_ms", "H1 heavy+build: p99 frame latency (ms)", true},
        {"H1.frame_time_p99_ms", "H1 heavy+build: p99 frame interval (ms)", true},
        {"H1.hog_loops_per_s", "H1 heavy+build: hog loops/s", false, K::throughput},
        {"C1.input_start_latency_p50_us", "C1 cursor+spin: input start p50 (us)", true},
        {"C1.input_start_latency_p99_us", "C1 cursor+spin: input start p99 (us)", true},
        {"S2.messaging_time_s", "S2 messaging time (s)", true, K::throughput},
        {"S3.jain_index", "S3 Jain index (equal hogs)", false, K::throughput},
        {"S3.max_off_cpu_gap_ms", "S3 max off-CPU gap (ms)", true},
        {"S3.nice19_cpu_share", "S3 nice-19 hog CPU share", false, K::throughput},
        {"block.attach_ms", "attach time (ms)", true, K::bookkeeping},
        {"pacer.loops_per_ms_per_cpu", "pacer loops/ms/CPU", false, K::bookkeeping},
    };
    return metrics;
}

namespace {

using nlohmann::json;

void put(Samples& s, const std::string& key, const std::string& arm, int round, const json& v) {
    if (v.is_number()) s[key][arm][round] = v.get<double>();
}

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string strip(const std::string& text, const std::string& suffix) {
    return text.substr(0, text.size() - suffix.size());
}

void put_game(Samples& s, const std::string& scenario, const std::string& arm, int round, const json& r) {
    for (const char* key :
         {"frame_miss_ratio", "frame_late_beyond_period_ratio", "frame_time_p99_ms", "frame_latency_p50_ms",
          "frame_latency_p99_ms", "fps", "input_start_latency_p50_us", "input_start_latency_p99_us",
          "render_wake_lateness_p99_us"}) {
        put(s, scenario + "." + key, arm, round, r.value(key, json()));
    }
    if (r.contains("detail") && r["detail"].contains("audio"))
        put(s, scenario + ".audio_miss_ratio", arm, round, r["detail"]["audio"].value("miss_ratio", json()));
}

bool registration_confirmed(const json& rec) {
    return rec["result"].is_object() && rec["result"].value("confirmed", false);
}

}  // namespace

std::vector<std::string> unconfirmed_registrations(const std::vector<json>& records) {
    std::vector<std::string> out;
    for (const auto& rec : records) {
        const std::string scenario = rec.value("scenario", "");
        if (!ends_with(scenario, "-registration") || registration_confirmed(rec)) continue;
        out.push_back(rec.value("scheduler", "") + " round " + std::to_string(rec.value("round", 0)) + " " +
                      strip(scenario, "-registration"));
    }
    return out;
}

Samples extract_samples(const std::vector<json>& records) {
    Samples s;
    // An ejected block ran partly on the kernel's fallback: none of its numbers are the
    // scheduler's, so only the ejection itself is kept. A game scenario whose registration was
    // not confirmed did not measure what its arm claims.
    // Keyed by boot too: a run split over boots has a block of the same arm and round in each.
    std::set<std::tuple<std::string, std::string, int>> ejected;
    std::set<std::tuple<std::string, int, std::string>> unregistered;
    for (const auto& rec : records) {
        if (!rec.contains("result") || !rec["result"].is_object()) continue;
        const std::string scenario = rec.value("scenario", "");
        const std::string arm = rec.value("scheduler", "");
        const int round = rec.value("round", 0);
        if (scenario == "block" && rec["result"].value("ejected", false))
            ejected.insert({rec.value("boot", ""), arm, round});
        if (ends_with(scenario, "-registration") && !registration_confirmed(rec)) {
            unregistered.insert({arm, round, strip(scenario, "-registration")});
            s["registration.failed"][arm][round] = 1;
        }
    }
    std::vector<json> kept;
    for (const auto& rec : records) {
        if (!rec.contains("result") || !rec["result"].is_object()) continue;
        const auto& r = rec["result"];
        const std::string scenario = rec.value("scenario", "");
        const std::string arm = rec.value("scheduler", "");
        const int round = rec.value("round", 0);
        if (scenario != "block" && ejected.count({rec.value("boot", ""), arm, round})) continue;
        const std::string base = scenario.substr(0, scenario.find('-'));
        if (unregistered.count({arm, round, base})) continue;
        kept.push_back(rec);
        if (r.value("bench", "") == "game") {
            put_game(s, scenario, arm, round, r);
        } else if (ends_with(scenario, "-hog")) {
            put(s, base + ".hog_loops_per_s", arm, round, r.value("loops_per_s", json()));
        } else if (ends_with(scenario, "-forkexec")) {
            put(s, base + ".forkexec_per_s", arm, round, r.value("spawns_per_s", json()));
        } else if (scenario == "S2") {
            put(s, "S2.messaging_time_s", arm, round, r.value("time_s", json()));
        } else if (scenario == "S3") {
            put(s, "S3.jain_index", arm, round, r.value("jain_index", json()));
            put(s, "S3.max_off_cpu_gap_ms", arm, round, r.value("max_off_cpu_gap_ms", json()));
            put(s, "S3.nice19_cpu_share", arm, round, r.value("nice19_cpu_share", json()));
        } else if (scenario == "block") {
            if (arm != "eevdf") put(s, "block.attach_ms", arm, round, r.value("attach_ms", json()));
            if (r.value("ejected", false)) s["block.ejected"][arm][round] = 1;
        } else if (scenario == "pacer-start") {
            put(s, "pacer.loops_per_ms_per_cpu", arm, round, r.value("pacer_loops_per_ms_per_cpu", json()));
        }
    }
    add_cpu_budget(s, kept);
    add_bpf_at_equal_load(s, kept);
    return s;
}

Cell summarize(const std::map<int, double>& values, const std::map<int, double>& baseline,
               bool lower_is_better) {
    Cell c;
    std::vector<double> absolute;
    for (const auto& [round, v] : values) {
        absolute.push_back(v);
        auto b = baseline.find(round);
        if (b == baseline.end() || b->second == 0) continue;
        const double ratio = v / b->second;
        c.ratios.push_back(ratio);
        const bool better = lower_is_better ? ratio < 0.99 : ratio > 1.01;
        const bool worse = lower_is_better ? ratio > 1.01 : ratio < 0.99;
        c.directions += better ? '+' : worse ? '-' : '=';
    }
    c.median_value = median(absolute);
    c.ratio_median = median(c.ratios);
    if (!c.ratios.empty()) {
        c.ratio_min = *std::min_element(c.ratios.begin(), c.ratios.end());
        c.ratio_max = *std::max_element(c.ratios.begin(), c.ratios.end());
    }
    return c;
}

Calibration check_calibration(const Samples& samples, const std::string& scenario, double low, double high) {
    Calibration c;
    auto m = samples.find(scenario + ".frame_miss_ratio");
    if (m == samples.end() || !m->second.count("eevdf")) return c;
    c.ran = true;
    for (const auto& [round, v] : m->second.at("eevdf")) c.eevdf_rounds.push_back(v);
    c.eevdf_median = median(c.eevdf_rounds);
    c.in_range = c.eevdf_median && *c.eevdf_median >= low && *c.eevdf_median <= high;
    return c;
}

std::optional<double> spread(const Samples& samples, const std::string& key, const std::string& arm) {
    auto m = samples.find(key);
    if (m == samples.end() || !m->second.count(arm) || m->second.at(arm).empty()) return std::nullopt;
    double lo = 0, hi = 0;
    bool first = true;
    for (const auto& [round, v] : m->second.at(arm)) {
        lo = first ? v : std::min(lo, v);
        hi = first ? v : std::max(hi, v);
        first = false;
    }
    if (hi == 0) return 1.0;
    if (lo <= 0) return std::numeric_limits<double>::infinity();
    return hi / lo;
}

Validity check_fifo_control(const Samples& samples) {
    Validity v;
    const auto lookup = [&](const std::string& key, const std::string& arm) -> const std::map<int, double>* {
        auto m = samples.find(key);
        if (m == samples.end()) return nullptr;
        auto s = m->second.find(arm);
        return s == m->second.end() ? nullptr : &s->second;
    };
    const auto* eevdf_miss = lookup("S1.frame_miss_ratio", "eevdf");
    const auto* fifo_miss = lookup("S1.frame_miss_ratio", "fifo");
    const auto* eevdf_p99 = lookup("S1.frame_time_p99_ms", "eevdf");
    const auto* fifo_p99 = lookup("S1.frame_time_p99_ms", "fifo");
    if (!eevdf_miss || !fifo_miss) {
        v.notes.push_back("no S1 results for both EEVDF and FIFO");
        return v;
    }
    bool all = true;
    for (const auto& [round, e] : *eevdf_miss) {
        auto f = fifo_miss->find(round);
        if (f == fifo_miss->end()) continue;
        ++v.rounds_checked;
        const bool by_misses = f->second >= 1.25 * e && f->second - e >= 0.05;
        bool by_tail = false;
        if (eevdf_p99 && fifo_p99 && eevdf_p99->count(round) && fifo_p99->count(round)) {
            by_tail = fifo_p99->at(round) >= 1.5 * eevdf_p99->at(round);
        }
        if (!by_misses && !by_tail) {
            all = false;
            v.notes.push_back("round " + std::to_string(round) +
                              ": FIFO did not clearly lose S1 (miss ratio " + std::to_string(f->second) +
                              " vs EEVDF " + std::to_string(e) + ")");
        }
    }
    v.fifo_loses_s1 = all && v.rounds_checked > 0;
    if (v.rounds_checked == 0) v.notes.push_back("no round has S1 results for both EEVDF and FIFO");
    return v;
}

}  // namespace gamesched::bench
