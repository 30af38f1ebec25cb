// `gamesched-bench report`: host side of ./run bench. Reads the GS-BENCH records of a run (JSON
// lines, from one boot per emulation mode), writes them with the summary into one JSON result
// file, and prints the tables, the validity lines and which targets the run meets.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include "tools/bench/args.h"
#include "tools/bench/commands.h"
#include "tools/bench/report_goals.h"
#include "tools/bench/report_tables.h"
#include "tools/bench/stats.h"

namespace gamesched::bench {
namespace {

using nlohmann::json;

std::string mode_of(const json& rec) {
    return rec.value("mode", "single");
}

// EEVDF's own round-to-round spread on S1 (the worse of miss ratio and p99 frame time): how well
// a mode repeats itself, which decides where latency numbers come from.
double eevdf_spread(const Samples& s) {
    const double miss =
        spread(s, "S1.frame_miss_ratio", "eevdf").value_or(std::numeric_limits<double>::infinity());
    const double p99 =
        spread(s, "S1.frame_time_p99_ms", "eevdf").value_or(std::numeric_limits<double>::infinity());
    return std::max(miss, p99);
}

struct ModeChoice {
    std::string throughput;
    std::string latency;
    json spreads = json::object();
};

ModeChoice choose_modes(const std::map<std::string, Samples>& by_mode) {
    ModeChoice c;
    c.throughput = by_mode.count("icount") ? "icount" : by_mode.begin()->first;
    double best = std::numeric_limits<double>::infinity();
    for (const auto& [mode, samples] : by_mode) {
        const double sp = eevdf_spread(samples);
        c.spreads[mode] = {
            {"S1_frame_miss_ratio", spread(samples, "S1.frame_miss_ratio", "eevdf").value_or(-1)},
            {"S1_frame_time_p99_ms", spread(samples, "S1.frame_time_p99_ms", "eevdf").value_or(-1)}};
        if (c.latency.empty() || sp < best) {
            best = sp;
            c.latency = mode;
        }
    }
    return c;
}

// Throughput and bookkeeping from the throughput mode, latency metrics from the latency mode.
Samples merge(const std::map<std::string, Samples>& by_mode, const ModeChoice& c) {
    Samples out = by_mode.at(c.throughput);
    const Samples& lat = by_mode.at(c.latency);
    for (const auto& m : table_metrics()) {
        if (m.kind != MetricKind::latency) continue;
        out.erase(m.key);
        if (lat.count(m.key)) out[m.key] = lat.at(m.key);
    }
    return out;
}

std::vector<std::string> pacer_drift_notes(const std::map<std::string, Samples>& by_mode, double& worst) {
    std::vector<std::string> notes;
    worst = 1;
    for (const auto& [mode, s] : by_mode) {
        auto it = s.find("pacer.loops_per_ms_per_cpu");
        if (it == s.end()) continue;
        double lo = 0, hi = 0;
        for (const auto& [arm, rounds] : it->second) {
            for (const auto& [round, v] : rounds) {
                lo = lo == 0 ? v : std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
        const double drift = lo > 0 ? hi / lo : 0;
        worst = std::max(worst, drift);
        char buf[160];
        (void)std::snprintf(
            buf, sizeof buf, "%s: pacer max/min %.3fx%s", mode.c_str(), drift,
            drift > 1.15 ? " (> 1.15x: the CPUs' speed moved between blocks; read with care)" : "");
        notes.emplace_back(buf);
    }
    return notes;
}

json validity(const std::map<std::string, Samples>& by_mode, const ModeChoice& modes,
              const std::vector<json>& records) {
    const Samples& lat = by_mode.at(modes.latency);
    const Validity fifo = check_fifo_control(lat);
    const Calibration cal = check_calibration(lat, "S1");
    // A run may leave J1 out (scenario names); when it ran, its load must separate schedulers too.
    const Calibration j1_cal = check_calibration(lat, "J1");
    std::vector<std::string> ejected;
    for (const auto& [mode, s] : by_mode) {
        if (!s.count("block.ejected")) continue;
        for (const auto& [arm, rounds] : s.at("block.ejected"))
            for (const auto& [round, v] : rounds)
                ejected.push_back(mode + " " + arm + " round " + std::to_string(round));
    }
    const std::vector<std::string> unconfirmed = unconfirmed_registrations(records);
    double drift = 1;
    const auto drift_notes = pacer_drift_notes(by_mode, drift);
    const bool valid = fifo.fifo_loses_s1 && cal.in_range && (!j1_cal.ran || j1_cal.in_range) &&
                       ejected.empty() && unconfirmed.empty();
    std::printf(
        "\nvalidity: latency from %s, throughput and BPF from %s; EEVDF S1 spread (max/min over rounds):",
        modes.latency.c_str(), modes.throughput.c_str());
    for (const auto& [mode, sp] : modes.spreads.items())
        std::printf(" %s miss %.3gx p99 %.3gx;", mode.c_str(), sp["S1_frame_miss_ratio"].get<double>(),
                    sp["S1_frame_time_p99_ms"].get<double>());
    std::printf("\nvalidity: calibration, EEVDF S1 frame-miss ratio median %s (0.15-0.6): %s\n",
                format_number(cal.eevdf_median).c_str(), cal.in_range ? "yes" : "NO");
    if (j1_cal.ran)
        std::printf("validity: calibration, EEVDF J1 frame-miss ratio median %s (0.15-0.6): %s\n",
                    format_number(j1_cal.eevdf_median).c_str(), j1_cal.in_range ? "yes" : "NO");
    std::printf("validity: FIFO clearly loses to EEVDF on S1 in %s of %d round(s): %s\n",
                fifo.fifo_loses_s1 ? "all" : "NOT all", fifo.rounds_checked,
                fifo.fifo_loses_s1 ? "yes" : "NO");
    for (const auto& n : fifo.notes) std::printf("  %s\n", n.c_str());
    std::printf("validity: ejected sched_ext blocks: %s\n",
                ejected.empty() ? "none" : std::to_string(ejected.size()).c_str());
    for (const auto& e : ejected) std::printf("  ejected: %s\n", e.c_str());
    std::printf(
        "validity: registration as the arm says (gs-game registered and focused, gs-unknown never): %s\n",
        unconfirmed.empty() ? "confirmed in every game run" : "NOT confirmed");
    for (const auto& u : unconfirmed) std::printf("  not confirmed: %s\n", u.c_str());
    for (const auto& n : drift_notes) std::printf("validity: %s\n", n.c_str());
    std::printf("RUN %s\n", valid ? "VALID" : "INVALID");
    return {{"valid", valid},
            {"latency_mode", modes.latency},
            {"throughput_mode", modes.throughput},
            {"eevdf_spreads", modes.spreads},
            {"calibration_in_range", cal.in_range},
            {"eevdf_s1_miss_rounds", cal.eevdf_rounds},
            {"j1_calibration_in_range", j1_cal.ran ? json(j1_cal.in_range) : json(nullptr)},
            {"eevdf_j1_miss_rounds", j1_cal.eevdf_rounds},
            {"fifo_loses_s1", fifo.fifo_loses_s1},
            {"rounds_checked", fifo.rounds_checked},
            {"notes", fifo.notes},
            {"ejected_blocks", ejected},
            {"unconfirmed_registrations", unconfirmed},
            {"pacer", drift_notes},
            {"pacer_drift", drift}};
}

json print_goals(const Samples& merged) {
    json out = json::array();
    std::printf("\ntargets (issue 12, \"Must show\"):\n");
    for (const auto& g : check_goals(merged)) {
        std::printf("  %-8s %s%s%s\n", g.status.c_str(), g.goal.c_str(), g.detail.empty() ? "" : ": ",
                    g.detail.c_str());
        out.push_back({{"goal", g.goal}, {"status", g.status}, {"detail", g.detail}});
    }
    return out;
}

// Where a run's time went, per boot: its wall time (the host record) and, in guest time, the
// start-up before the first block and the blocks themselves (their guest-uptime stamps).
json print_run_time(const std::vector<json>& records) {
    struct Boot {
        double wall_s = -1;
        std::string rounds;
        std::string scenarios;
        double first_block_ms = -1;
        std::vector<double> block_ms;
    };
    std::map<std::string, Boot> boots;
    for (const auto& rec : records) {
        if (!rec.contains("result") || !rec["result"].is_object()) continue;
        const json& r = rec["result"];
        Boot& b = boots[rec.value("boot", mode_of(rec))];
        const std::string scenario = rec.value("scenario", "");
        if (scenario == "host") {
            b.wall_s = r.value("vm_run_s", -1.0);
            b.rounds = r.value("rounds", "");
            b.scenarios = r.value("scenarios", "");
        }
        if (scenario == "block" && r.contains("guest_start_ms") && r.contains("guest_end_ms")) {
            const double start = r["guest_start_ms"].get<double>();
            b.block_ms.push_back(r["guest_end_ms"].get<double>() - start);
            b.first_block_ms = b.first_block_ms < 0 ? start : std::min(b.first_block_ms, start);
        }
    }
    json out = json::object();
    std::printf("\nrun time per boot (wall time; guest time before the first block and in the blocks)\n");
    for (const auto& [tag, b] : boots) {
        double total = 0;
        for (double ms : b.block_ms) total += ms;
        const auto med = median(b.block_ms);
        std::printf(
            "%s (rounds %s, %s): %s s of wall time; guest %s s before the first block, %zu blocks, %s s in "
            "all "
            "(median %s s)\n",
            tag.c_str(), b.rounds.empty() ? "?" : b.rounds.c_str(),
            b.scenarios.empty() ? "?" : b.scenarios.c_str(), format_number(b.wall_s).c_str(),
            format_number(b.first_block_ms < 0 ? std::nullopt : std::optional<double>(b.first_block_ms / 1e3))
                .c_str(),
            b.block_ms.size(), format_number(total / 1e3).c_str(),
            format_number(med ? std::optional<double>(*med / 1e3) : std::nullopt).c_str());
        out[tag] = {{"wall_s", b.wall_s},          {"rounds", b.rounds},
                    {"scenarios", b.scenarios},    {"guest_s_before_first_block", b.first_block_ms / 1e3},
                    {"blocks", b.block_ms.size()}, {"guest_s_in_blocks", total / 1e3}};
    }
    return out;
}

Result<std::vector<json>> read_records(const std::string& path) {
    std::ifstream input(path);
    if (!input) return Error::invalid("cannot read " + path);
    std::vector<json> records;
    std::string line;
    for (int n = 1; std::getline(input, line); ++n) {
        if (line.empty()) continue;
        json j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            (void)std::fprintf(stderr, "gamesched-bench report: %s line %d is not a JSON object; skipped\n",
                               path.c_str(), n);
            continue;
        }
        records.push_back(std::move(j));
    }
    return records;
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
    auto records = read_records(*in);
    if (!records) return usage_error("report", records.error().message);

    std::map<std::string, std::vector<json>> records_by_mode;
    for (const auto& rec : *records) records_by_mode[mode_of(rec)].push_back(rec);
    std::map<std::string, Samples> by_mode;
    for (const auto& [mode, recs] : records_by_mode) by_mode[mode] = extract_samples(recs);
    if (by_mode.empty()) return usage_error("report", *in + " holds no records");
    const ModeChoice modes = choose_modes(by_mode);
    const Samples merged = merge(by_mode, modes);

    json result = {{"records", *records}};
    result["table"] = print_ratio_table(merged);
    result["cpu_budget"] = print_budget_table(merged);
    const auto& throughput_records = records_by_mode.at(modes.throughput);
    std::map<std::string, OpTable> op_costs;
    for (const std::string scenario : {"S1", "S2", "S3"})
        op_costs[scenario] = bpf_op_costs(throughput_records, scenario);
    result["bpf"] = print_bpf_table(merged, op_costs);
    result["targets"] = print_goals(merged);
    result["run_time"] = print_run_time(*records);
    result["validity"] = validity(by_mode, modes, *records);
    std::ofstream file(*out);
    file << result.dump(1) << "\n";
    if (!file) return usage_error("report", "cannot write " + *out);
    std::printf("results: %s\n", out->c_str());
    return result["validity"]["valid"].get<bool>() ? 0 : 1;
}

}  // namespace gamesched::bench
