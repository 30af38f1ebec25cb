// `gamesched-bench report`: host side of ./run bench. Reads the GS-BENCH records of one run
// (JSON lines), writes them with the summary into one JSON result file, and prints the table of
// ratios against EEVDF with the spread across rounds.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>

#include "tools/bench/args.h"
#include "tools/bench/commands.h"
#include "tools/bench/report_model.h"

namespace gamesched::bench {
namespace {

using nlohmann::json;

const std::vector<std::string> kSchedulers = {"eevdf", "fifo", "gamesched"};

std::string number(std::optional<double> v) {
    if (!v) return "-";
    char buf[32];
    const double a = std::fabs(*v);
    (void)std::snprintf(buf, sizeof buf,
                        a != 0 && (a >= 1e6 || a < 1e-3) ? "%.3g"
                        : a >= 100                       ? "%.0f"
                                                         : "%.3g",
                        *v);
    return buf;
}

std::string ratio_text(const Cell& c) {
    if (!c.ratio_median) return "";
    return number(c.ratio_median) + "x [" + number(c.ratio_min) + "-" + number(c.ratio_max) + "]";
}

json cell_json(const Cell& c) {
    const auto opt = [](std::optional<double> v) { return v ? json(*v) : json(nullptr); };
    return {{"median", opt(c.median_value)},
            {"ratio_median", opt(c.ratio_median)},
            {"ratio_min", opt(c.ratio_min)},
            {"ratio_max", opt(c.ratio_max)},
            {"ratios", c.ratios}};
}

json summary_table(const Samples& samples) {
    json rows = json::array();
    std::printf("%-40s %10s | %10s  %-24s | %10s  %-24s\n", "metric, median over rounds  (-) lower is better",
                "EEVDF", "FIFO", "ratio vs EEVDF [range]", "gamesched", "ratio vs EEVDF [range]");
    for (const auto& m : table_metrics()) {
        auto it = samples.find(m.key);
        if (it == samples.end()) continue;
        const auto& by_sched = it->second;
        const auto baseline = by_sched.count("eevdf") ? by_sched.at("eevdf") : std::map<int, double>{};
        json row = {{"metric", m.key}, {"label", m.label}, {"lower_is_better", m.lower_is_better}};
        std::string value[3] = {"-", "-", "-"};
        std::string ratio[3];
        for (size_t i = 0; i < kSchedulers.size(); ++i) {
            const auto& s = kSchedulers[i];
            if (!by_sched.count(s)) continue;
            const Cell c = summarize(by_sched.at(s), baseline);
            row[s] = cell_json(c);
            value[i] = number(c.median_value);
            ratio[i] = ratio_text(c);
        }
        std::printf("%-40s %10s | %10s  %-24s | %10s  %-24s\n",
                    (m.label + (m.lower_is_better ? " (-)" : " (+)")).c_str(), value[0].c_str(),
                    value[1].c_str(), ratio[1].c_str(), value[2].c_str(), ratio[2].c_str());
        rows.push_back(row);
    }
    return rows;
}

json bpf_table(const std::vector<json>& records) {
    json out = json::object();
    for (const auto& rec : records) {
        if (rec.value("scenario", "") != "bpf" || !rec["result"].is_object()) continue;
        const std::string sched = rec.value("scheduler", "");
        const auto& r = rec["result"];
        std::printf("BPF cost, %s (BPF CPU share %.4f):", sched.c_str(), r.value("bpf_cpu_share", 0.0));
        for (const auto& p : r["programs"]) {
            if (p.value("run_cnt", 0) == 0) continue;
            std::printf(
                "  %s %s ns x %s/s", p.value("name", "").c_str(),
                number(p["ns_per_call"].is_number() ? std::optional<double>(p["ns_per_call"].get<double>())
                                                    : std::nullopt)
                    .c_str(),
                number(p.value("calls_per_s", 0.0)).c_str());
        }
        std::printf("\n");
        out[sched] = r;
    }
    return out;
}

json validity(const Samples& samples) {
    const Validity v = check_fifo_control(samples);
    std::vector<std::string> ejected;
    if (samples.count("block.ejected")) {
        for (const auto& [sched, rounds] : samples.at("block.ejected")) {
            for (const auto& [round, value] : rounds)
                ejected.push_back(sched + " round " + std::to_string(round));
        }
    }
    std::optional<double> lo, hi;
    if (samples.count("pacer.loops_per_ms_per_cpu")) {
        for (const auto& [sched, rounds] : samples.at("pacer.loops_per_ms_per_cpu")) {
            for (const auto& [round, value] : rounds) {
                lo = lo ? std::min(*lo, value) : value;
                hi = hi ? std::max(*hi, value) : value;
            }
        }
    }
    const double drift = lo && *lo > 0 ? *hi / *lo : 0;
    const bool valid = v.fifo_loses_s1 && ejected.empty();
    std::printf("validity: FIFO clearly loses to EEVDF on S1 in %s of %d round(s): %s\n",
                v.fifo_loses_s1 ? "all" : "NOT all", v.rounds_checked, v.fifo_loses_s1 ? "yes" : "NO");
    for (const auto& n : v.notes) std::printf("  %s\n", n.c_str());
    std::printf("validity: ejected sched_ext blocks: %s\n",
                ejected.empty() ? "none" : std::to_string(ejected.size()).c_str());
    for (const auto& e : ejected) std::printf("  ejected: %s\n", e.c_str());
    std::printf("validity: host-speed drift across blocks (pacer max/min): %.2fx%s\n", drift,
                drift > 1.15 ? " (more than 15%: the host was not steady; read ratios with care)" : "");
    std::printf("RUN %s\n", valid ? "VALID" : "INVALID");
    return {{"valid", valid},   {"fifo_loses_s1", v.fifo_loses_s1}, {"rounds_checked", v.rounds_checked},
            {"notes", v.notes}, {"ejected_blocks", ejected},        {"pacer_drift", drift}};
}

}  // namespace

int run_report(const Argv& argv) {
    auto parsed = Args::parse(argv, {});
    if (!parsed) return usage_error("report", parsed.error().message);
    Args& a = *parsed;
    const auto in = a.text("--in");
    const auto out = a.text("--out");
    if (auto s = a.check_all_used(); !s) return usage_error("report", s.error().message);
    if (!in || !out) return usage_error("report", "needs --in RECORDS.jsonl and --out RESULTS.json");
    std::ifstream input(*in);
    if (!input) return usage_error("report", "cannot read " + *in);
    std::vector<json> records;
    std::string line;
    for (int n = 1; std::getline(input, line); ++n) {
        if (line.empty()) continue;
        json j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            (void)std::fprintf(stderr, "gamesched-bench report: %s line %d is not a JSON object; skipped\n",
                               in->c_str(), n);
            continue;
        }
        records.push_back(std::move(j));
    }
    const Samples samples = extract_samples(records);
    json result = {{"records", records}};
    result["table"] = summary_table(samples);
    result["bpf"] = bpf_table(records);
    result["validity"] = validity(samples);
    std::ofstream file(*out);
    file << result.dump(1) << "\n";
    if (!file) return usage_error("report", "cannot write " + *out);
    std::printf("results: %s\n", out->c_str());
    return result["validity"]["valid"].get<bool>() ? 0 : 1;
}

}  // namespace gamesched::bench
