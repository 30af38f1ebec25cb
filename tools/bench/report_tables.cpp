#include "tools/bench/report_tables.h"

#include <cmath>
#include <cstdio>

#include "tools/bench/stats.h"

namespace gamesched::bench {
namespace {

using nlohmann::json;

const std::map<int, double>& values_of(const Samples& s, const std::string& key, const std::string& arm) {
    static const std::map<int, double> none;
    auto m = s.find(key);
    if (m == s.end()) return none;
    auto a = m->second.find(arm);
    return a == m->second.end() ? none : a->second;
}

std::string ratio_text(const Cell& c) {
    if (!c.ratio_median) return "";
    return format_number(c.ratio_median) + "x [" + format_number(c.ratio_min) + "-" +
           format_number(c.ratio_max) + "] " + c.directions;
}

json cell_json(const Cell& c) {
    const auto opt = [](std::optional<double> v) { return v ? json(*v) : json(nullptr); };
    return {{"median", opt(c.median_value)},
            {"ratio_median", opt(c.ratio_median)},
            {"ratio_min", opt(c.ratio_min)},
            {"ratio_max", opt(c.ratio_max)},
            {"ratios", c.ratios},
            {"directions", c.directions}};
}

std::optional<double> median_of(const std::vector<double>& v) {
    return median(v);
}

}  // namespace

std::string format_number(std::optional<double> v) {
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

// Ratios against EEVDF for every other arm, plus registered against unknown (does telling the
// scheduler about the game help?). Then the absolute medians.
json print_ratio_table(const Samples& samples) {
    json rows = json::array();
    std::printf(
        "ratio vs EEVDF in the same round: median [min-max], then per round + better, - worse, = within "
        "1%%\n");
    std::printf("%-38s %9s | %-27s | %-27s | %-27s | %-27s\n", "metric  (-) lower is better", "EEVDF", "FIFO",
                "gamesched, game unknown", "gamesched, registered", "registered vs unknown");
    std::vector<std::vector<std::string>> absolute;
    for (const auto& m : table_metrics()) {
        if (!samples.count(m.key)) continue;
        const auto& baseline = values_of(samples, m.key, "eevdf");
        json row = {{"metric", m.key}, {"label", m.label}, {"lower_is_better", m.lower_is_better}};
        std::vector<std::string> medians = {m.label};
        std::vector<std::string> ratios;
        for (const auto& arm : arms()) {
            const Cell c = summarize(values_of(samples, m.key, arm.id), baseline, m.lower_is_better);
            if (samples.at(m.key).count(arm.id)) row[arm.id] = cell_json(c);
            medians.push_back(format_number(c.median_value));
            if (arm.id != "eevdf") ratios.push_back(ratio_text(c));
        }
        const Cell reg = summarize(values_of(samples, m.key, "gs-game"),
                                   values_of(samples, m.key, "gs-unknown"), m.lower_is_better);
        row["gs-game_vs_gs-unknown"] = cell_json(reg);
        ratios.push_back(ratio_text(reg));
        std::printf("%-38s %9s | %-27s | %-27s | %-27s | %-27s\n",
                    (m.label + (m.lower_is_better ? " (-)" : " (+)")).c_str(), medians[1].c_str(),
                    ratios[0].c_str(), ratios[1].c_str(), ratios[2].c_str(), ratios[3].c_str());
        absolute.push_back(medians);
        rows.push_back(row);
    }
    std::printf("\nmedian over rounds (absolute)\n%-38s %10s %10s %10s %10s\n", "metric", "EEVDF", "FIFO",
                "gs-unknown", "gs-game");
    for (const auto& a : absolute)
        std::printf("%-38s %10s %10s %10s %10s\n", a[0].c_str(), a[1].c_str(), a[2].c_str(), a[3].c_str(),
                    a[4].c_str());
    return rows;
}

// Median share of the CPU per part, for every scenario that has a budget.
json print_budget_table(const Samples& samples) {
    json out = json::object();
    for (const std::string sc : {"S1", "J1", "H1", "C1"}) {
        if (!samples.count(sc + ".cpu.game")) continue;
        std::printf(
            "\nCPU budget, %s (median share of %s over the scenario; other = kernel, helpers, input "
            "device)\n",
            sc.c_str(), "all vCPUs");
        std::printf("%-12s", "arm");
        for (const auto& part : budget_parts()) std::printf(" %9s", part.c_str());
        std::printf(" %14s\n", "hog loops/CPU-s");
        for (const auto& arm : arms()) {
            if (!samples.at(sc + ".cpu.game").count(arm.id)) continue;
            std::printf("%-12s", arm.id.c_str());
            for (const auto& part : budget_parts()) {
                std::vector<double> v;
                for (const auto& [r, x] : values_of(samples, sc + ".cpu." + part, arm.id)) v.push_back(x);
                const auto m = median_of(v);
                out[sc][arm.id][part] = m ? json(*m) : json(nullptr);
                std::printf(" %8.1f%%", m.value_or(0) * 100);
            }
            std::vector<double> eff;
            for (const auto& [r, x] : values_of(samples, sc + ".hog_loops_per_cpu_s", arm.id))
                eff.push_back(x);
            std::printf(" %14s\n", format_number(median_of(eff)).c_str());
            out[sc][arm.id]["hog_loops_per_cpu_s"] = median_of(eff) ? json(*median_of(eff)) : json(nullptr);
        }
    }
    return out;
}

// The BPF share where every arm does the same work (S2: the same messages; S3: the same hogs
// for the same time), each arm's against FIFO's of the same round.
json print_bpf_equal_load(const Samples& samples) {
    json out = json::object();
    const std::vector<std::pair<std::string, std::string>> blocks = {
        {"S2", "equal work: the same messages in every arm; median of the repeats' shares"},
        {"S3", "equal load: the same hogs for the same time; median of the window's parts"}};
    for (const auto& [sc, what] : blocks) {
        const std::string key = sc + ".bpf_cpu_share";
        if (!samples.count(key)) continue;
        std::printf("\nBPF CPU share during %s (%s)\n", sc.c_str(), what.c_str());
        for (const auto& arm : arms()) {
            const auto& share = values_of(samples, key, arm.id);
            if (share.empty()) continue;
            const Cell vs_fifo = summarize(share, values_of(samples, key, "fifo"), true);
            std::vector<double> ms;
            for (const auto& [r, x] : values_of(samples, sc + ".bpf_ms", arm.id)) ms.push_back(x);
            std::printf(
                "%s: BPF CPU share %s%s%s\n", arm.id.c_str(), format_number(vs_fifo.median_value).c_str(),
                ms.empty() ? "" : (" (" + format_number(median_of(ms)) + " ms of BPF for the work)").c_str(),
                arm.id == "fifo" ? "" : ("; vs FIFO " + ratio_text(vs_fifo)).c_str());
            out[sc][arm.id] = cell_json(vs_fifo);
            const std::string whole = key + "_whole";
            if (samples.count(whole) && !values_of(samples, whole, arm.id).empty()) {
                const Cell whole_vs_fifo =
                    summarize(values_of(samples, whole, arm.id), values_of(samples, whole, "fifo"), true);
                std::printf("%s:   over the whole window %s%s\n", arm.id.c_str(),
                            format_number(whole_vs_fifo.median_value).c_str(),
                            arm.id == "fifo" ? "" : ("; vs FIFO " + ratio_text(whole_vs_fifo)).c_str());
                out[sc + "_whole"][arm.id] = cell_json(whole_vs_fifo);
            }
        }
    }
    return out;
}

// Per program: ns per call and calls per second, medians over rounds.
json print_op_table(const std::string& scenario, const OpTable& ops) {
    json out = json::object();
    std::printf("\nBPF programs during %s (median over rounds; ns under icount are guest instructions)\n",
                scenario.c_str());
    std::printf("%-12s %-18s %-10s %12s %12s\n", "arm", "program", "type", "ns/call", "calls/s");
    for (const auto& [arm, programs] : ops) {
        for (const auto& [name, cost] : programs) {
            const auto ns = median(cost.ns_per_call);
            const auto rate = median(cost.calls_per_s);
            std::printf("%-12s %-18s %-10s %12s %12s\n", arm.c_str(), name.c_str(), cost.type.c_str(),
                        format_number(ns).c_str(), format_number(rate).c_str());
            out[arm][name] = {{"type", cost.type},
                              {"ns_per_call", ns ? json(*ns) : json(nullptr)},
                              {"calls_per_s", rate ? json(*rate) : json(nullptr)},
                              {"rounds", cost.calls_per_s.size()}};
        }
    }
    return out;
}

json print_bpf_table(const Samples& samples, const std::map<std::string, OpTable>& ops_by_scenario) {
    json out = {
        {"share", json::object()}, {"programs", json::object()}, {"programs_by_scenario", json::object()}};
    out["share_at_equal_load"] = print_bpf_equal_load(samples);
    if (samples.count("S1.bpf_cpu_share"))
        std::printf(
            "\nBPF cost during S1 (kernel statistics; median over rounds; FIFO starves the game there, so "
            "the share compares workloads, the cost per context switch the programs)\n");
    for (const auto& arm : arms()) {
        const auto& share = values_of(samples, "S1.bpf_cpu_share", arm.id);
        if (share.empty()) continue;
        const Cell vs_fifo = summarize(share, values_of(samples, "S1.bpf_cpu_share", "fifo"), true);
        const Cell per_switch = summarize(values_of(samples, "S1.bpf_ns_per_switch", arm.id),
                                          values_of(samples, "S1.bpf_ns_per_switch", "fifo"), true);
        std::vector<double> rate;
        for (const auto& [r, x] : values_of(samples, "S1.switches_per_s", arm.id)) rate.push_back(x);
        std::printf("%s: BPF CPU share %s%s; %s ns per context switch%s (%s switches/s)\n", arm.id.c_str(),
                    format_number(vs_fifo.median_value).c_str(),
                    arm.id == "fifo" ? "" : ("; vs FIFO " + ratio_text(vs_fifo)).c_str(),
                    format_number(per_switch.median_value).c_str(),
                    arm.id == "fifo" ? "" : (", vs FIFO " + ratio_text(per_switch)).c_str(),
                    format_number(median_of(rate)).c_str());
        out["share"][arm.id] = cell_json(vs_fifo);
        out["ns_per_switch"][arm.id] = cell_json(per_switch);
    }
    for (const auto& [scenario, ops] : ops_by_scenario) {
        if (ops.empty()) continue;
        out["programs_by_scenario"][scenario] = print_op_table(scenario, ops);
        if (scenario == "S1") out["programs"] = out["programs_by_scenario"][scenario];
    }
    return out;
}

}  // namespace gamesched::bench
