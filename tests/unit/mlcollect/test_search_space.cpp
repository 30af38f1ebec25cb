#include <catch2/catch_test_macros.hpp>

#include <algorithm>

#include "helpers/mlcollect/search_space.h"
#include "ipc/messages.h"

namespace ml = gamesched::ml;

namespace {

const ml::TunableValues kInForce = {{"slice_us", 5000},     {"slice_min_us", 500},   {"lag_clamp_us", 40000},
                                    {"game_boost_pct", 30}, {"input_boost_pct", 30}, {"preempt_enabled", 1}};

ml::SearchSpace make(const std::vector<std::string>& names) {
    auto space = ml::SearchSpace::make(names, ml::protocol_tunables(), kInForce);
    REQUIRE(space);
    return *space;
}

}  // namespace

TEST_CASE("the tunables come from the protocol's table") {
    const auto specs = ml::protocol_tunables();
    for (const auto& range : gamesched::ipc::kTunableRanges) {
        CHECK(std::any_of(specs.begin(), specs.end(), [&](const auto& s) {
            return s.name == range.name && s.min == range.min && s.max == range.max;
        }));
    }
    for (const auto& name : ml::default_search_names()) {
        CHECK(std::any_of(specs.begin(), specs.end(), [&](const auto& s) { return s.name == name; }));
    }
}

TEST_CASE("the values in force round-trip through the unit cube") {
    const auto space = make(ml::default_search_names());
    const ml::TunableValues back = space.decode(space.encode(kInForce));
    for (const auto& [name, value] : back) CHECK(value == kInForce.at(name));
}

TEST_CASE("times are searched on a log scale within a factor of 8 of the value in force") {
    const auto space = make({"slice_us"});
    CHECK(space.decode({0.0}).at("slice_us") == 625);
    CHECK(space.decode({1.0}).at("slice_us") == 40000);
    CHECK(space.decode({0.5}).at("slice_us") == 5000);
}

TEST_CASE("percentages span their protocol range; switches are 0 or 1") {
    const auto space = make({"game_boost_pct", "preempt_enabled"});
    CHECK(space.decode({0.0, 0.2}) == ml::TunableValues{{"game_boost_pct", 0}, {"preempt_enabled", 0}});
    CHECK(space.decode({1.0, 0.7}) == ml::TunableValues{{"game_boost_pct", 90}, {"preempt_enabled", 1}});
}

TEST_CASE("slice_min_us never exceeds slice_us after decoding") {
    const auto space = make({"slice_us", "slice_min_us"});
    const auto v = space.decode({0.0, 1.0});
    CHECK(v.at("slice_min_us") <= v.at("slice_us"));
}

TEST_CASE("the starvation bound and unknown names are refused with a reason") {
    auto guard = ml::SearchSpace::make({"runtime_cap_us"}, ml::protocol_tunables(), kInForce);
    REQUIRE_FALSE(guard);
    CHECK(guard.error().message.find("never autotuned") != std::string::npos);
    auto unknown = ml::SearchSpace::make({"warp_factor"}, ml::protocol_tunables(), kInForce);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message.find("unknown tunable 'warp_factor'") != std::string::npos);
}
