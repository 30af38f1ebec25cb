#include <catch2/catch_test_macros.hpp>

#include "core/options.h"

using namespace gamesched;

TEST_CASE("core options parse and reject bad values with a clear message") {
    auto ok = parse_core_options({"--stats", "0.5", "--verbose", "--scheduler", "baseline-fifo"});
    REQUIRE(ok.ok());
    CHECK(ok->options.stats_interval_s == 0.5);
    CHECK(ok->options.verbose);
    CHECK(ok->options.scheduler == SchedulerKind::BaselineFifo);

    auto bad = parse_core_options({"--stats", "soon"});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("--stats") != std::string::npos);
    CHECK_FALSE(parse_core_options({"--stats"}).ok());
    CHECK_FALSE(parse_core_options({"--scheduler", "cfs"}).ok());
    auto unknown = parse_core_options({"--frobnicate"});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message.find("--help") != std::string::npos);
}
