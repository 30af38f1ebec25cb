// The statistics every benchmark reports, kept pure so that unit tests can pin their definitions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace gamesched::bench {

// Nearest-rank percentile (no interpolation): the smallest value with at least p% of the values at
// or below it. p in (0, 100]; nullopt for no values. This is MangoHud's "1% low" convention when
// applied to frame times at p = 99.
std::optional<double> percentile(std::vector<double> values, double p);

std::optional<double> median(std::vector<double> values);

// Mean of the worst `share` (0..1] of the values, at least one value (CapFrameX-style "1% low").
std::optional<double> mean_of_worst(std::vector<double> values, double share);

// Jain's fairness index (sum x)^2 / (n * sum x^2): 1 when all equal, 1/n when one takes all.
// nullopt for no values or all zero.
std::optional<double> jain_index(std::span<const double> values);

// One period of a periodic activity: it was due at `target_ns` and finished at `done_ns`
// (0 when it never ran, e.g. a slot skipped after a stall).
struct PeriodRecord {
    int64_t target_ns = 0;
    int64_t done_ns = 0;
};

struct DeadlineOutcome {
    uint64_t periods = 0;  // periods whose deadline fell inside the window
    uint64_t misses = 0;   // finished after target + period, or never ran
    uint64_t skipped = 0;  // of the misses: never ran at all
    // Of the misses: finished more than one whole period late, or never. With frames in flight a
    // chain whose latency exceeds one period misses every frame yet shows each; this counts the
    // frames a player sees lost or doubled.
    uint64_t late_beyond_period = 0;
    [[nodiscard]] std::optional<double> miss_ratio() const;
    [[nodiscard]] std::optional<double> late_beyond_period_ratio() const;
};

// Counts every period whose target lies at or after window_begin and whose deadline
// (target + period) lies at or before window_end. A period that never ran counts as a miss, so a
// long stall counts once per swallowed period (coordinated omission).
DeadlineOutcome evaluate_deadlines(std::span<const PeriodRecord> records, int64_t period_ns,
                                   int64_t window_begin_ns, int64_t window_end_ns);

// Frame latency: for every period whose target lies at or after window_begin and whose deadline
// lies at or before window_end (the periods evaluate_deadlines counts), done - target in ms. A
// period that never finished counts as window_end - target, a lower bound: a lost frame stays in
// the distribution instead of dropping out of it (coordinated omission).
std::vector<double> period_latencies_ms(std::span<const PeriodRecord> records, int64_t period_ns,
                                        int64_t window_begin_ns, int64_t window_end_ns);

// Differences between consecutive values of an ascending sequence.
std::vector<double> successive_differences(std::span<const double> ascending);

struct Interval {
    double low = 0;
    double high = 0;
};
// Wilson score interval for `hits` out of `n` at z (1.96 = 95%); nullopt for n = 0.
std::optional<Interval> wilson_interval(uint64_t hits, uint64_t n, double z = 1.96);

}  // namespace gamesched::bench
