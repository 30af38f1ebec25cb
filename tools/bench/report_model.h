// The host-side summary of a benchmark run: per-round values of each metric for each arm,
// turned into paired ratios against the baseline (EEVDF) of the same round, as
// benchmark-design.md §6.5 asks: the median ratio over rounds, its min-max spread and the
// direction in every round.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gamesched::bench {

// The arms of the comparison, in table order: EEVDF (the baseline of every ratio), the FIFO
// negative control, gamesched with the game unknown to it, gamesched with the game registered
// as deployed (detector + focus hint).
struct Arm {
    std::string id;
    std::string label;
};
const std::vector<Arm>& arms();

// Latency metrics depend on timer and wakeup delivery, which emulation distorts; throughput
// metrics count work. A run with both emulation modes takes throughput from icount and latency
// from whichever mode repeated EEVDF's numbers best.
enum class MetricKind { latency, throughput, bookkeeping };

struct MetricSpec {
    std::string key;    // e.g. "S1.frame_miss_ratio"
    std::string label;  // for the table
    bool lower_is_better = true;
    MetricKind kind = MetricKind::latency;
};

// The metrics the table shows, in order.
const std::vector<MetricSpec>& table_metrics();

// metric key -> arm -> round -> value
using Samples = std::map<std::string, std::map<std::string, std::map<int, double>>>;

// Pulls every metric out of the raw GS-BENCH records ({"round","scheduler","scenario",
// "result"}): a game scenario X gives "X.<metric>", its background "X.hog_loops_per_s" and
// "X.forkexec_per_s". Missing or null values are left out, and so is every value of a block that
// was ejected ("block.ejected" records which) and of a game scenario whose registration was not
// confirmed ("registration.failed" records which).
Samples extract_samples(const std::vector<nlohmann::json>& records);

struct Cell {
    std::optional<double> median_value;  // over rounds, absolute
    std::optional<double> ratio_median;  // of value / baseline value in the same round
    std::optional<double> ratio_min;
    std::optional<double> ratio_max;
    std::vector<double> ratios;  // per round where both values exist and the baseline is not 0
    // One character per ratio, in round order: '+' better than the baseline, '-' worse, '='
    // within 1 %.
    std::string directions;
};

Cell summarize(const std::map<int, double>& values, const std::map<int, double>& baseline,
               bool lower_is_better = true);

struct Validity {
    bool fifo_loses_s1 = false;  // in every round that has both arms
    std::vector<std::string> notes;
    int rounds_checked = 0;
};

// EEVDF must miss between 0.15 and 0.6 of a loaded game scenario's frames (median over rounds):
// lighter, and a 20x better scheduler cannot show it; heavier, and every scheduler sits at the
// ceiling. `ran` is false when the run has no EEVDF result for the scenario.
struct Calibration {
    bool ran = false;
    bool in_range = false;
    std::optional<double> eevdf_median;
    std::vector<double> eevdf_rounds;
};
Calibration check_calibration(const Samples& samples, const std::string& scenario, double low = 0.15,
                              double high = 0.6);

// max/min over rounds of one arm's values of a metric (1 when all are 0; infinity when only
// the minimum is 0; nullopt without values).
std::optional<double> spread(const Samples& samples, const std::string& key, const std::string& arm);

// FIFO "clearly loses" a round of S1 when its frame-miss ratio is both ≥ 1.25× EEVDF's and at
// least 0.05 higher, or its p99 frame time is ≥ 1.5× EEVDF's.
Validity check_fifo_control(const Samples& samples);

// Every "<scenario>-registration" record of the run that is not confirmed, as "arm round N
// scenario" texts (a gs-game game that was not registered and focused before its measured
// window, or a gs-unknown game that was).
std::vector<std::string> unconfirmed_registrations(const std::vector<nlohmann::json>& records);

}  // namespace gamesched::bench
