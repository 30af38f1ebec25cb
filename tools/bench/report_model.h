// The host-side summary of a benchmark run: per-round values of each metric for each scheduler,
// turned into paired ratios against the baseline (EEVDF) of the same round, as
// benchmark-design.md §6.5 asks: the median ratio over rounds and its min-max spread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gamesched::bench {

struct MetricSpec {
    std::string key;    // e.g. "S1.frame_miss_ratio"
    std::string label;  // for the table
    bool lower_is_better = true;
};

// The metrics the table shows, in order.
const std::vector<MetricSpec>& table_metrics();

// metric key -> scheduler -> round -> value
using Samples = std::map<std::string, std::map<std::string, std::map<int, double>>>;

// Pulls every metric of table_metrics() (and the block bookkeeping) out of the raw GS-BENCH
// records ({"round","scheduler","scenario","result"}). Missing or null values are left out, and
// so is every value of a block that was ejected ("block.ejected" records which ones were).
Samples extract_samples(const std::vector<nlohmann::json>& records);

struct Cell {
    std::optional<double> median_value;  // over rounds, absolute
    std::optional<double> ratio_median;  // of value / baseline value in the same round
    std::optional<double> ratio_min;
    std::optional<double> ratio_max;
    std::vector<double> ratios;  // per round where both values exist and the baseline is not 0
};

Cell summarize(const std::map<int, double>& values, const std::map<int, double>& baseline);

struct Validity {
    bool fifo_loses_s1 = false;  // in every round that has both schedulers
    std::vector<std::string> notes;
    int rounds_checked = 0;
};

// FIFO "clearly loses" a round of S1 when its frame-miss ratio is both ≥ 1.25× EEVDF's and at
// least 0.05 higher, or its p99 frame time is ≥ 1.5× EEVDF's.
Validity check_fifo_control(const Samples& samples);

}  // namespace gamesched::bench
