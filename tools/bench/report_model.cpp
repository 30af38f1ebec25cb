#include "tools/bench/report_model.h"

#include <algorithm>
#include <set>
#include <utility>

#include "tools/bench/stats.h"

namespace gamesched::bench {

const std::vector<MetricSpec>& table_metrics() {
    static const std::vector<MetricSpec> metrics = {
        {"S0.frame_miss_ratio", "S0 frame deadline-miss ratio", true},
        {"S0.frame_time_p99_ms", "S0 p99 frame time (ms)", true},
        {"S1.frame_miss_ratio", "S1 frame deadline-miss ratio", true},
        {"S1.frame_time_p99_ms", "S1 p99 frame time (ms)", true},
        {"S1.audio_miss_ratio", "S1 audio deadline-miss ratio", true},
        {"S1.input_start_latency_p50_us", "S1 input handler start p50 (us)", true},
        {"S1.input_start_latency_p99_us", "S1 input handler start p99 (us)", true},
        {"S1.render_wake_lateness_p99_us", "S1 render wake lateness p99 (us)", true},
        {"S1.hog_loops_per_s", "S1 background hog loops/s", false},
        {"S1.forkexec_per_s", "S1 fork/exec per s", false},
        {"S2.messaging_time_s", "S2 messaging time (s)", true},
        {"S3.jain_index", "S3 Jain index (equal hogs)", false},
        {"S3.max_off_cpu_gap_ms", "S3 max off-CPU gap (ms)", true},
        {"S3.nice19_cpu_share", "S3 nice-19 hog CPU share", false},
        {"block.attach_ms", "attach time (ms)", true},
        {"pacer.loops_per_ms_per_cpu", "pacer loops/ms/CPU (host speed)", false},
    };
    return metrics;
}

namespace {

void put(Samples& s, const std::string& key, const std::string& scheduler, int round,
         const nlohmann::json& v) {
    if (v.is_number()) s[key][scheduler][round] = v.get<double>();
}

}  // namespace

Samples extract_samples(const std::vector<nlohmann::json>& records) {
    Samples s;
    // An ejected block ran partly on the kernel's fallback: none of its numbers are the
    // scheduler's, so only the ejection itself is kept.
    std::set<std::pair<std::string, int>> ejected;
    for (const auto& rec : records) {
        if (rec.value("scenario", "") == "block" && rec["result"].is_object() &&
            rec["result"].value("ejected", false)) {
            ejected.insert({rec.value("scheduler", ""), rec.value("round", 0)});
        }
    }
    for (const auto& rec : records) {
        if (!rec.contains("result") || !rec["result"].is_object()) continue;
        const auto& r = rec["result"];
        const std::string scenario = rec.value("scenario", "");
        const std::string sched = rec.value("scheduler", "");
        const int round = rec.value("round", 0);
        if (scenario != "block" && ejected.count({sched, round})) continue;
        if (scenario == "S0" || scenario == "S1") {
            put(s, scenario + ".frame_miss_ratio", sched, round,
                r.value("frame_miss_ratio", nlohmann::json()));
            put(s, scenario + ".frame_time_p99_ms", sched, round,
                r.value("frame_time_p99_ms", nlohmann::json()));
            put(s, scenario + ".input_start_latency_p50_us", sched, round,
                r.value("input_start_latency_p50_us", nlohmann::json()));
            put(s, scenario + ".input_start_latency_p99_us", sched, round,
                r.value("input_start_latency_p99_us", nlohmann::json()));
            put(s, scenario + ".render_wake_lateness_p99_us", sched, round,
                r.value("render_wake_lateness_p99_us", nlohmann::json()));
            if (r.contains("detail"))
                put(s, scenario + ".audio_miss_ratio", sched, round,
                    r["detail"]["audio"].value("miss_ratio", nlohmann::json()));
        } else if (scenario == "S1-hog") {
            put(s, "S1.hog_loops_per_s", sched, round, r.value("loops_per_s", nlohmann::json()));
        } else if (scenario == "S1-forkexec") {
            put(s, "S1.forkexec_per_s", sched, round, r.value("spawns_per_s", nlohmann::json()));
        } else if (scenario == "S2") {
            put(s, "S2.messaging_time_s", sched, round, r.value("time_s", nlohmann::json()));
        } else if (scenario == "S3") {
            put(s, "S3.jain_index", sched, round, r.value("jain_index", nlohmann::json()));
            put(s, "S3.max_off_cpu_gap_ms", sched, round, r.value("max_off_cpu_gap_ms", nlohmann::json()));
            put(s, "S3.nice19_cpu_share", sched, round, r.value("nice19_cpu_share", nlohmann::json()));
        } else if (scenario == "block") {
            if (sched != "eevdf")
                put(s, "block.attach_ms", sched, round, r.value("attach_ms", nlohmann::json()));
            if (r.value("ejected", false)) s["block.ejected"][sched][round] = 1;
        } else if (scenario == "pacer-start") {
            put(s, "pacer.loops_per_ms_per_cpu", sched, round,
                r.value("pacer_loops_per_ms_per_cpu", nlohmann::json()));
        }
    }
    return s;
}

Cell summarize(const std::map<int, double>& values, const std::map<int, double>& baseline) {
    Cell c;
    std::vector<double> absolute;
    for (const auto& [round, v] : values) {
        absolute.push_back(v);
        auto b = baseline.find(round);
        if (b != baseline.end() && b->second != 0) c.ratios.push_back(v / b->second);
    }
    c.median_value = median(absolute);
    c.ratio_median = median(c.ratios);
    if (!c.ratios.empty()) {
        c.ratio_min = *std::min_element(c.ratios.begin(), c.ratios.end());
        c.ratio_max = *std::max_element(c.ratios.begin(), c.ratios.end());
    }
    return c;
}

Validity check_fifo_control(const Samples& samples) {
    Validity v;
    const auto lookup = [&](const std::string& key,
                            const std::string& sched) -> const std::map<int, double>* {
        auto m = samples.find(key);
        if (m == samples.end()) return nullptr;
        auto s = m->second.find(sched);
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
