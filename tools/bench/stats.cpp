#include "tools/bench/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "tools/bench/clock.h"

namespace gamesched::bench {

std::optional<double> percentile(std::vector<double> values, double p) {
    if (values.empty() || !(p > 0) || p > 100) return std::nullopt;
    const auto n = static_cast<double>(values.size());
    auto rank = static_cast<size_t>(std::ceil(p / 100.0 * n));
    rank = std::clamp<size_t>(rank, 1, values.size());
    std::nth_element(values.begin(), values.begin() + static_cast<long>(rank - 1), values.end());
    return values[rank - 1];
}

std::optional<double> median(std::vector<double> values) {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::optional<double> mean_of_worst(std::vector<double> values, double share) {
    if (values.empty() || !(share > 0) || share > 1) return std::nullopt;
    std::sort(values.begin(), values.end(), std::greater<>());
    const auto count =
        std::max<size_t>(1, static_cast<size_t>(std::floor(share * static_cast<double>(values.size()))));
    return std::accumulate(values.begin(), values.begin() + static_cast<long>(count), 0.0) /
           static_cast<double>(count);
}

std::optional<double> jain_index(std::span<const double> values) {
    if (values.empty()) return std::nullopt;
    double sum = 0;
    double sum_sq = 0;
    for (double v : values) {
        sum += v;
        sum_sq += v * v;
    }
    if (sum_sq <= 0) return std::nullopt;
    return sum * sum / (static_cast<double>(values.size()) * sum_sq);
}

std::optional<double> DeadlineOutcome::miss_ratio() const {
    if (periods == 0) return std::nullopt;
    return static_cast<double>(misses) / static_cast<double>(periods);
}

std::optional<double> DeadlineOutcome::late_beyond_period_ratio() const {
    if (periods == 0) return std::nullopt;
    return static_cast<double>(late_beyond_period) / static_cast<double>(periods);
}

DeadlineOutcome evaluate_deadlines(std::span<const PeriodRecord> records, int64_t period_ns,
                                   int64_t window_begin_ns, int64_t window_end_ns) {
    DeadlineOutcome out;
    for (const auto& r : records) {
        const int64_t deadline = r.target_ns + period_ns;
        if (r.target_ns < window_begin_ns || deadline > window_end_ns) continue;
        ++out.periods;
        if (r.done_ns == 0) {
            ++out.misses;
            ++out.skipped;
            ++out.late_beyond_period;
        } else if (r.done_ns > deadline) {
            ++out.misses;
            if (r.done_ns > deadline + period_ns) ++out.late_beyond_period;
        }
    }
    return out;
}

std::vector<double> period_latencies_ms(std::span<const PeriodRecord> records, int64_t period_ns,
                                        int64_t window_begin_ns, int64_t window_end_ns) {
    std::vector<double> out;
    for (const auto& r : records) {
        if (r.target_ns < window_begin_ns || r.target_ns + period_ns > window_end_ns) continue;
        const int64_t end = r.done_ns ? r.done_ns : window_end_ns;
        out.push_back(static_cast<double>(end - r.target_ns) / static_cast<double>(kNsPerMs));
    }
    return out;
}

std::vector<double> successive_differences(std::span<const double> ascending) {
    std::vector<double> out;
    for (size_t i = 1; i < ascending.size(); ++i) out.push_back(ascending[i] - ascending[i - 1]);
    return out;
}

std::optional<Interval> wilson_interval(uint64_t hits, uint64_t n, double z) {
    if (n == 0) return std::nullopt;
    const auto nn = static_cast<double>(n);
    const double p = static_cast<double>(hits) / nn;
    const double z2 = z * z;
    const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
    return Interval{std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace gamesched::bench
