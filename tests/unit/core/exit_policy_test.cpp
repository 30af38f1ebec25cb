#include <catch2/catch_test_macros.hpp>

#include "core/exit_policy.h"

using namespace gamesched;
using std::chrono::seconds;

namespace {
constexpr int64_t kUnreg = 64, kSysrq = 67, kErrorBpf = 1025, kStall = 1026;
constexpr int64_t kRestart = int64_t{1} << 48;
}  // namespace

TEST_CASE("our own detach stops; SysRq-S stays off; the core does not fight the user") {
    ReattachPolicy policy;
    CHECK(policy.decide(kUnreg, 0, seconds(5)).action == ExitAction::Stop);
    auto sysrq = policy.decide(kSysrq, 0, seconds(5));
    CHECK(sysrq.action == ExitAction::StayOff);
    CHECK(sysrq.why.find("SysRq") != std::string::npos);
}

TEST_CASE("a kernel restart request re-attaches at once, whatever the kind") {
    ReattachPolicy policy;
    auto d = policy.decide(kUnreg + 2, kRestart | 1, seconds(1));
    CHECK(d.action == ExitAction::ReattachNow);
    CHECK(d.delay.count() == 0);
    CHECK(policy.error_retries_used() == 0);
}

TEST_CASE("error ejections re-attach with growing backoff, a bounded number of times") {
    ReattachPolicy policy;
    std::chrono::milliseconds last{0};
    for (int i = 0; i < ReattachPolicy::kMaxErrorRetries; ++i) {
        auto d = policy.decide(i % 2 ? kStall : kErrorBpf, 0, seconds(1));
        REQUIRE(d.action == ExitAction::ReattachBackoff);
        CHECK(d.delay > last);
        last = d.delay;
    }
    CHECK(policy.decide(kErrorBpf, 0, seconds(1)).action == ExitAction::GiveUp);
}

TEST_CASE("a healthy stretch resets the retry budget") {
    ReattachPolicy policy;
    for (int i = 0; i < ReattachPolicy::kMaxErrorRetries; ++i) (void)policy.decide(kErrorBpf, 0, seconds(1));
    auto d = policy.decide(kErrorBpf, 0, ReattachPolicy::kHealthyAfter);
    CHECK(d.action == ExitAction::ReattachBackoff);
    CHECK(d.delay == ReattachPolicy::kFirstBackoff);
}

TEST_CASE("exit kinds have readable names") {
    CHECK(exit_kind_name(kSysrq) == "disabled by SysRq-S");
    CHECK(exit_kind_name(kStall) == "runnable task stall (watchdog)");
    CHECK(exit_kind_name(4242).find("4242") != std::string::npos);
}
