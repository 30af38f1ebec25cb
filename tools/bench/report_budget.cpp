#include "tools/bench/report_budget.h"

#include <tuple>

namespace gamesched::bench {
namespace {

using nlohmann::json;

struct RunParts {
    const json* game = nullptr;
    const json* hog = nullptr;
    const json* forkexec = nullptr;
    const json* bpf = nullptr;
    const json* cpu = nullptr;
};

double ticks_ms(const json& cpu, size_t first, size_t last) {
    const double per_tick_ms = 1000.0 / cpu.value("user_hz", 100.0);
    double ticks = 0;
    for (size_t i = first; i <= last && i < cpu["after"].size() && i < cpu["before"].size(); ++i)
        ticks += cpu["after"][i].get<double>() - cpu["before"][i].get<double>();
    return ticks * per_tick_ms;
}

}  // namespace

const std::vector<std::string>& budget_parts() {
    static const std::vector<std::string> parts = {"game", "hogs", "forkexec", "bpf", "idle", "other"};
    return parts;
}

void add_cpu_budget(Samples& s, const std::vector<json>& records) {
    std::map<std::tuple<std::string, int, std::string>, RunParts> runs;
    for (const auto& rec : records) {
        if (!rec.contains("result") || !rec["result"].is_object()) continue;
        const std::string scenario = rec.value("scenario", "");
        const auto dash = scenario.find('-');
        const std::string base = scenario.substr(0, dash);
        const std::string suffix = dash == std::string::npos ? "" : scenario.substr(dash + 1);
        RunParts& run = runs[{rec.value("scheduler", ""), rec.value("round", 0), base}];
        const json* r = &rec["result"];
        if (suffix.empty() && r->value("bench", "") == "game") run.game = r;
        if (suffix == "hog") run.hog = r;
        if (suffix == "forkexec") run.forkexec = r;
        if (suffix == "bpf") run.bpf = r;
        if (suffix == "cpu") run.cpu = r;
    }
    for (const auto& [key, run] : runs) {
        const auto& [arm, round, base] = key;
        if (!run.cpu || !run.game) continue;
        // The eight /proc/stat fields: user nice system idle iowait irq softirq steal.
        const double capacity = ticks_ms(*run.cpu, 0, 7);
        if (capacity <= 0) continue;
        const double idle = ticks_ms(*run.cpu, 3, 4);
        const double game = run.game->value("game_cpu_ms", 0.0);
        const double hogs = run.hog ? run.hog->value("cpu_ms", 0.0) : 0.0;
        const double fork =
            run.forkexec ? run.forkexec->value("cpu_ms", 0.0) + run.forkexec->value("children_cpu_ms", 0.0)
                         : 0.0;
        double bpf = 0;
        if (run.bpf) {
            // The statistics cover the game's run; scale their rate to the whole window.
            const double window_s = run.bpf->value("duration_s", 0.0);
            const double wall_ms = run.cpu->value("wall_ms", 0.0);
            if (window_s > 0)
                bpf = run.bpf->value("total_run_time_ns", 0.0) / 1e6 * (wall_ms / (window_s * 1e3));
            s[base + ".bpf_cpu_share"][arm][round] = run.bpf->value("bpf_cpu_share", 0.0);
        }
        // Per context switch: a scheduler that switches more often makes more calls, and the
        // share alone cannot tell a costly program from a busy one.
        const double switches = run.cpu->value("ctxt_after", 0.0) - run.cpu->value("ctxt_before", 0.0);
        const double wall_ms = run.cpu->value("wall_ms", 0.0);
        if (switches > 0 && wall_ms > 0) {
            s[base + ".switches_per_s"][arm][round] = switches / (wall_ms / 1e3);
            if (run.bpf) s[base + ".bpf_ns_per_switch"][arm][round] = bpf * 1e6 / switches;
        }
        const double other = capacity - idle - game - hogs - fork - bpf;
        const std::map<std::string, double> parts = {{"game", game}, {"hogs", hogs}, {"forkexec", fork},
                                                     {"bpf", bpf},   {"idle", idle}, {"other", other}};
        for (const auto& [part, ms] : parts) s[base + ".cpu." + part][arm][round] = ms / capacity;
        if (run.hog && hogs > 0)
            s[base + ".hog_loops_per_cpu_s"][arm][round] = run.hog->value("loops", 0.0) / (hogs / 1e3);
    }
}

void add_bpf_at_equal_load(Samples& s, const std::vector<json>& records) {
    std::map<std::pair<std::string, int>, double> messaging_s;
    std::map<std::pair<std::string, int>, const json*> messaging_bpf;
    for (const auto& rec : records) {
        if (!rec.contains("result") || !rec["result"].is_object()) continue;
        const std::string scenario = rec.value("scenario", "");
        const std::pair<std::string, int> run = {rec.value("scheduler", ""), rec.value("round", 0)};
        const json& r = rec["result"];
        if (scenario == "S3-bpf" && r["bpf_cpu_share"].is_number()) {
            // The median of the window's parts where bpfstats split it (--windows): one program
            // call that spans an emulator turn then decides one part, not the round.
            const json& share = r.contains("bpf_cpu_share_window_median") ? r["bpf_cpu_share_window_median"]
                                                                          : r["bpf_cpu_share"];
            if (share.is_number()) s["S3.bpf_cpu_share"][run.first][run.second] = share.get<double>();
            s["S3.bpf_cpu_share_whole"][run.first][run.second] = r["bpf_cpu_share"].get<double>();
        }
        if (scenario == "S2-bpf") messaging_bpf[run] = &r;
        if (scenario == "S2" && r["time_s"].is_number()) messaging_s[run] = r["time_s"].get<double>();
    }
    for (const auto& [run, bpf] : messaging_bpf) {
        auto t = messaging_s.find(run);
        const double cpus = bpf->value("cpus", 0.0);
        const double ns = bpf->value("total_run_time_ns", 0.0);
        if (t == messaging_s.end() || t->second <= 0 || cpus <= 0) continue;
        // Repeated work (messaging --repeat with bpfstats' parts): the median part, one repeat of
        // the same messages each, as S3's median part. Otherwise the statistics' window holds the
        // messaging and the idle moments around it, and the fixed work's own time is the
        // denominator that stays equal between arms.
        const auto parts = bpf->value("windows", json::array()).size();
        if (parts > 1 && (*bpf)["bpf_cpu_share_window_median"].is_number()) {
            s["S2.bpf_cpu_share"][run.first][run.second] =
                (*bpf)["bpf_cpu_share_window_median"].get<double>();
            s["S2.bpf_ms"][run.first][run.second] = ns / 1e6 / static_cast<double>(parts);
            continue;
        }
        s["S2.bpf_cpu_share"][run.first][run.second] = ns / (t->second * 1e9 * cpus);
        s["S2.bpf_ms"][run.first][run.second] = ns / 1e6;
    }
}

OpTable bpf_op_costs(const std::vector<json>& records, const std::string& scenario) {
    OpTable table;
    for (const auto& rec : records) {
        if (rec.value("scenario", "") != scenario + "-bpf" || !rec["result"].is_object()) continue;
        const auto& programs = rec["result"].value("programs", json::array());
        for (const auto& p : programs) {
            if (!p.is_object() || p.value("run_cnt", 0) == 0) continue;
            OpCost& cost = table[rec.value("scheduler", "")][p.value("name", "?")];
            cost.type = p.value("type", "");
            if (p["ns_per_call"].is_number()) cost.ns_per_call.push_back(p["ns_per_call"].get<double>());
            cost.calls_per_s.push_back(p.value("calls_per_s", 0.0));
        }
    }
    return table;
}

}  // namespace gamesched::bench
