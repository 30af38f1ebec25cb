// The benchmark's statistics definitions: what "p99", "Jain" and "miss ratio" mean in every
// result file.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

#include "tools/bench/stats.h"

using namespace gamesched::bench;
using Catch::Approx;

TEST_CASE("percentile is nearest-rank without interpolation") {
    std::vector<double> v;
    for (int i = 1; i <= 100; ++i) v.push_back(i);
    CHECK(*percentile(v, 50) == 50);
    CHECK(*percentile(v, 99) == 99);
    CHECK(*percentile(v, 100) == 100);
    CHECK(*percentile({4, 1, 3, 2}, 50) == 2);
    CHECK(*percentile({4, 1, 3, 2}, 51) == 3);
    CHECK(*percentile({7}, 99) == 7);
}

TEST_CASE("percentile of 99 picks the tail even from few values") {
    // 10 values: rank ceil(9.9) = 10, the maximum.
    CHECK(*percentile({1, 1, 1, 1, 1, 1, 1, 1, 1, 50}, 99) == 50);
}

TEST_CASE("percentile rejects empty input and out-of-range p") {
    CHECK_FALSE(percentile({}, 50));
    CHECK_FALSE(percentile({1, 2}, 0));
    CHECK_FALSE(percentile({1, 2}, 101));
}

TEST_CASE("median averages the middle pair") {
    CHECK(*median({3, 1, 2}) == 2);
    CHECK(*median({4, 1, 3, 2}) == 2.5);
    CHECK_FALSE(median({}));
}

TEST_CASE("mean of the worst share takes at least one value") {
    CHECK(*mean_of_worst({1, 2, 3, 10}, 0.01) == 10);
    CHECK(*mean_of_worst({1, 2, 3, 10}, 0.5) == 6.5);
    CHECK_FALSE(mean_of_worst({}, 0.01));
}

TEST_CASE("Jain index: 1 for equal shares, 1/n when one takes everything") {
    const std::vector<double> equal{5, 5, 5, 5};
    CHECK(*jain_index(equal) == Approx(1.0));
    const std::vector<double> one{9, 0, 0};
    CHECK(*jain_index(one) == Approx(1.0 / 3));
    const std::vector<double> mixed{1, 2, 3};
    CHECK(*jain_index(mixed) == Approx(36.0 / (3 * 14)));
    CHECK_FALSE(jain_index(std::vector<double>{}));
    CHECK_FALSE(jain_index(std::vector<double>{0, 0}));
}

TEST_CASE("deadline outcome counts late and never-run periods as misses") {
    const int64_t period = 10;
    const std::vector<PeriodRecord> records{
        {0, 5},    // on time
        {10, 20},  // exactly at the deadline: on time
        {20, 31},  // late
        {30, 0},   // never ran (swallowed by a stall)
        {40, 45},
    };
    const auto out = evaluate_deadlines(records, period, 0, 50);
    CHECK(out.periods == 5);
    CHECK(out.misses == 2);
    CHECK(out.skipped == 1);
    CHECK(*out.miss_ratio() == Approx(0.4));
    CHECK(out.late_beyond_period == 1);  // only the never-run one: 31 is late by less than a period
}

TEST_CASE("deadline outcome tells a frame late by more than a whole period from a late one") {
    const std::vector<PeriodRecord> records{
        {0, 19},   // late by 9: one period of latency, the frame still shows
        {10, 30},  // late by exactly one period: still within it
        {20, 41},  // late by more than a period: lost to the player
    };
    const auto out = evaluate_deadlines(records, 10, 0, 40);
    CHECK(out.misses == 3);
    CHECK(out.late_beyond_period == 1);
    CHECK(*out.late_beyond_period_ratio() == Approx(1.0 / 3));
}

TEST_CASE("deadline outcome only scores periods inside the window") {
    const std::vector<PeriodRecord> records{{0, 0}, {10, 0}, {20, 25}, {30, 0}};
    // Warm-up until 10; stopped at 35, so period 30 (deadline 40) is not scored.
    const auto out = evaluate_deadlines(records, 10, 10, 35);
    CHECK(out.periods == 2);
    CHECK(out.misses == 1);
    CHECK_FALSE(DeadlineOutcome{}.miss_ratio());
}

TEST_CASE("successive differences turn completion times into frame times") {
    const std::vector<double> done{0, 16, 33, 60};
    CHECK(successive_differences(done) == std::vector<double>{16, 17, 27});
    CHECK(successive_differences(std::vector<double>{1}).empty());
}

TEST_CASE("frame latency is done minus the slot's start, a lost frame counted to the window's end") {
    constexpr int64_t ms = 1'000'000;
    const int64_t period = 8 * ms;
    const std::vector<PeriodRecord> records{
        {0, 5 * ms},         // before the window (warm-up): not scored
        {8 * ms, 11 * ms},   // 3 ms
        {16 * ms, 30 * ms},  // 14 ms: late, still counted at its real latency
        {24 * ms, 0},        // never completed: 40 - 24 = 16 ms at least
        {32 * ms, 37 * ms},  // deadline 40 = window end: scored
        {40 * ms, 42 * ms},  // deadline after the window: not scored
    };
    const auto lat = period_latencies_ms(records, period, 8 * ms, 40 * ms);
    CHECK(lat == std::vector<double>{3, 14, 16, 5});
    CHECK(*percentile(lat, 99) == 16);
    CHECK(*percentile(lat, 50) == 5);
    CHECK(period_latencies_ms({}, period, 0, 40 * ms).empty());
}

TEST_CASE("frame latency falls below the period where the interval between frames cannot") {
    // A paced game: each frame takes 3 ms, one is delayed by 6 ms. The intervals between
    // completions stay near the period (their p99 is 14 ms, never below 8); the latency's tail
    // is the delayed frame's 9 ms.
    constexpr int64_t ms = 1'000'000;
    const int64_t period = 8 * ms;
    std::vector<PeriodRecord> records;
    std::vector<double> done_ms;
    for (int64_t k = 0; k < 10; ++k) {
        const int64_t took = k == 5 ? 9 * ms : 3 * ms;
        records.push_back({k * period, k * period + took});
        done_ms.push_back(static_cast<double>(k * period + took) / ms);
    }
    CHECK(*percentile(period_latencies_ms(records, period, 0, 10 * period), 99) == 9);
    CHECK(*percentile(successive_differences(done_ms), 99) == 14);
}

TEST_CASE("Wilson interval brackets the observed ratio and stays in [0, 1]") {
    const auto none = wilson_interval(0, 100);
    REQUIRE(none);
    CHECK(none->low == 0);
    CHECK(none->high > 0);
    CHECK(none->high < 0.05);
    const auto half = wilson_interval(50, 100);
    CHECK(half->low == Approx(0.4038).margin(1e-3));
    CHECK(half->high == Approx(0.5962).margin(1e-3));
    const auto all = wilson_interval(10, 10);
    CHECK(all->high == Approx(1.0));
    CHECK(all->low < 1.0);
    CHECK_FALSE(wilson_interval(0, 0));
}
