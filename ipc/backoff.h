// The one reconnect policy of every client of the core: after a failed attempt, wait before the
// next one, doubling the wait up to a cap; a success starts over. CoreClient applies it to its
// own connection; a service loop that schedules reconnects itself (gamesched-detect) uses the
// same object for its timer.
#pragma once

#include <algorithm>
#include <chrono>

namespace gamesched::ipc {

class Backoff {
public:
    using Clock = std::chrono::steady_clock;

    struct Policy {
        std::chrono::milliseconds first{250};
        std::chrono::milliseconds max{5000};
    };

    Backoff() : Backoff(Policy{}) {}
    explicit Backoff(Policy policy) : policy_(policy), delay_(policy.first) {}

    // Whether an attempt may be made now.
    [[nodiscard]] bool ready(Clock::time_point now) const { return now >= next_attempt_; }
    [[nodiscard]] Clock::time_point next_attempt() const { return next_attempt_; }

    // An attempt failed at `now`: the next one waits, longer each time.
    void failed(Clock::time_point now) {
        next_attempt_ = now + delay_;
        delay_ = std::min(delay_ * 2, policy_.max);
    }
    // An attempt succeeded (or a working connection just broke): the next try may be immediate.
    void reset() {
        delay_ = policy_.first;
        next_attempt_ = {};
    }

private:
    Policy policy_;
    std::chrono::milliseconds delay_;
    Clock::time_point next_attempt_{};
};

}  // namespace gamesched::ipc
