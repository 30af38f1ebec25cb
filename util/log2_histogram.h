// Percentiles of the scheduler's wait-time histograms: bucket b counts waits in [2^(b-1), 2^b)
// microseconds (bucket 0: under 1 µs), as bpf/intf.h defines them. The core reports them in its
// samples; gameschedctl computes them per game and role from the raw buckets it receives.
#pragma once

#include <cstdint>
#include <span>

namespace gamesched {

// The upper bound (µs) of the bucket holding the pct-th percentile; 0 for an empty histogram.
[[nodiscard]] inline std::uint64_t log2_histogram_percentile_us(std::span<const std::uint64_t> buckets,
                                                                double pct) {
    std::uint64_t total = 0;
    for (auto count : buckets) total += count;
    if (total == 0 || buckets.empty()) return 0;
    const auto rank = static_cast<std::uint64_t>(static_cast<double>(total) * pct / 100.0 + 0.999999);
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b < buckets.size(); ++b) {
        seen += buckets[b];
        if (seen >= rank) return std::uint64_t{1} << b;
    }
    return std::uint64_t{1} << (buckets.size() - 1);
}

}  // namespace gamesched
