// The per-category log rate limit: a burst per window is logged, the rest is summed up once the
// window is over, and categories do not share budgets.
#include "util/log_rate_limit.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

using namespace gamesched;
using Catch::Matchers::ContainsSubstring;
using std::chrono::seconds;

namespace {

// Captures what the default logger writes while alive.
class CapturedLog {
public:
    CapturedLog() : previous_(spdlog::default_logger()) {
        auto logger =
            std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_st>(out_));
        logger->set_pattern("%v");
        spdlog::set_default_logger(logger);
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;
    std::string text() const { return out_.str(); }

private:
    std::ostringstream out_;
    std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace

TEST_CASE("a burst is allowed, the rest counted and summed up after the window") {
    CapturedLog log;
    LogRateLimit limit("refused clients", 3, seconds(10));
    const auto t0 = LogRateLimit::Clock::now();
    int allowed = 0;
    for (int i = 0; i < 10'000; ++i) allowed += limit.allow(t0) ? 1 : 0;
    CHECK(allowed == 3);
    limit.report(t0 + seconds(5));  // the window is not over: nothing yet
    CHECK(log.text().empty());
    limit.report(t0 + seconds(10));
    CHECK_THAT(log.text(),
               ContainsSubstring("9997 similar messages suppressed in the last 10 s (refused clients"));
    limit.report(t0 + seconds(30));  // reported once only
    CHECK(log.text().find("suppressed", log.text().find("suppressed") + 1) == std::string::npos);
    // A new window has a new budget.
    CHECK(limit.allow(t0 + seconds(31)));
}

TEST_CASE("the next message after a window reports what the last window dropped") {
    CapturedLog log;
    LogRateLimit limit("leases", 1, seconds(1));
    const auto t0 = LogRateLimit::Clock::now();
    CHECK(limit.allow(t0));
    CHECK_FALSE(limit.allow(t0));
    CHECK_FALSE(limit.allow(t0));
    CHECK(limit.allow(t0 + seconds(2)));
    CHECK_THAT(log.text(), ContainsSubstring("2 similar messages suppressed"));
}

TEST_CASE("categories have separate budgets; a forced report flushes the current window") {
    CapturedLog log;
    LogRateLimit flood("flooded category", 2, seconds(60));
    LogRateLimit quiet("core's own category", 2, seconds(60));
    const auto t0 = LogRateLimit::Clock::now();
    for (int i = 0; i < 100; ++i) (void)flood.allow(t0);
    CHECK(quiet.allow(t0));
    report_suppressed_logs(false, t0 + seconds(1));
    CHECK(log.text().empty());
    report_suppressed_logs(true, t0 + seconds(1));
    CHECK_THAT(log.text(),
               ContainsSubstring("98 similar messages suppressed in the last 1 s (flooded category"));
    CHECK(log.text().find("core's own category") == std::string::npos);
}
