// Where the CPU went in a scenario with a background (game, hogs, fork/exec, BPF, idle, the
// rest) and what the BPF programs cost per call: the numbers that separate a scheduler's policy
// (whom it gives the CPU) from its overhead (what it spends deciding).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/bench/report_model.h"

namespace gamesched::bench {

// The budget's parts, in table order ("<scenario>.cpu.<part>", shares of the machine's CPU
// time over the scenario's window).
const std::vector<std::string>& budget_parts();

// From the records of one game scenario run ("X", "X-hog", "X-forkexec", "X-bpf", "X-cpu" of
// one arm and round), adds to `s`: X.cpu.<part> for every part, X.bpf_cpu_share, and
// X.hog_loops_per_cpu_s (the hogs' work per CPU second they got: emulation and cache effects,
// not policy). Records must already be filtered (no ejected or unconfirmed blocks).
void add_cpu_budget(Samples& s, const std::vector<nlohmann::json>& records);

// The BPF programs' share of the CPU where every arm does the same work: S2 (a fixed number of
// messages; the share over the messaging's own time, "S2.bpf_cpu_share", and the BPF time that
// work cost, "S2.bpf_ms") and S3 (the same hogs for the same time; the statistics' own window,
// "S3.bpf_cpu_share"). From the "S2"/"S2-bpf" and "S3-bpf" records, already filtered.
void add_bpf_at_equal_load(Samples& s, const std::vector<nlohmann::json>& records);

struct OpCost {
    std::vector<double> ns_per_call;  // one per round
    std::vector<double> calls_per_s;
    std::string type;
};
// arm -> program name -> cost over rounds, from the "<scenario>-bpf" records.
using OpTable = std::map<std::string, std::map<std::string, OpCost>>;
OpTable bpf_op_costs(const std::vector<nlohmann::json>& records, const std::string& scenario);

}  // namespace gamesched::bench
