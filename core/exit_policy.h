// What the core does after the kernel stopped its scheduler. Pure logic, unit-tested.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace gamesched {

enum class ExitAction {
    Stop,             // we asked for it (SIGTERM), or the kernel unregistered it: exit
    StayOff,          // the user's escape hatch (SysRq-S): exit and stay off until started again
    ReattachNow,      // the kernel asked for a restart (CPU hotplug)
    ReattachBackoff,  // an error ejection: retry a bounded number of times with backoff
    GiveUp,           // errors kept coming back; stay on the fair class and exit non-zero
};

struct ExitDecision {
    ExitAction action = ExitAction::Stop;
    std::chrono::milliseconds delay{0};
    std::string why;
};

// Kernel exit kinds (enum scx_exit_kind) as the core names them in logs.
std::string exit_kind_name(int64_t kind);

class ReattachPolicy {
public:
    static constexpr int kMaxErrorRetries = 4;
    static constexpr std::chrono::milliseconds kFirstBackoff{500};
    // An attach that stayed up this long counts as healthy and resets the retry budget.
    static constexpr std::chrono::seconds kHealthyAfter{60};

    ExitDecision decide(int64_t kind, int64_t exit_code, std::chrono::seconds attached_for);
    [[nodiscard]] int error_retries_used() const { return retries_; }

private:
    int retries_ = 0;
};

}  // namespace gamesched
