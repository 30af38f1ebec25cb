#include "util/log2_histogram.h"

#include <catch2/catch_test_macros.hpp>

#include <array>

using gamesched::log2_histogram_percentile_us;

TEST_CASE("a percentile is the upper bound of the bucket that reaches its rank") {
    std::array<std::uint64_t, 16> buckets{};
    CHECK(log2_histogram_percentile_us(buckets, 50) == 0);  // nothing measured
    buckets[0] = 1;                                         // under 1 µs
    CHECK(log2_histogram_percentile_us(buckets, 99) == 1);
    buckets = {};
    buckets[3] = 98;  // [4, 8) µs
    buckets[10] = 2;  // [512, 1024) µs
    CHECK(log2_histogram_percentile_us(buckets, 50) == 8);
    CHECK(log2_histogram_percentile_us(buckets, 98) == 8);
    CHECK(log2_histogram_percentile_us(buckets, 99) == 1024);
}
