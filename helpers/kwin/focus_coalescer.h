// Turns the stream of reports from KWin into focus changes worth forwarding: bursts (alt-tab
// through several windows) collapse to the last window within one window of time, reports
// without a pid are never forwarded, and a pid already forwarded is not sent again.
#pragma once

#include "helpers/kwin/focus_report.h"

#include <chrono>
#include <optional>

namespace gamesched::kwin {

class FocusCoalescer {
public:
    using Clock = std::chrono::steady_clock;

    explicit FocusCoalescer(Clock::duration window) : window_(window) {}

    // A report arrived. An unknown pid (0) cancels what is pending: the focus has moved on to a
    // window we cannot name, so the earlier one must not be announced late.
    void offer(FocusReport report, Clock::time_point now);

    // When take_due() will have something to return; nullopt when nothing is pending.
    [[nodiscard]] std::optional<Clock::time_point> deadline() const;

    // The report to forward now, if its window has closed and it changes the focus.
    std::optional<FocusReport> take_due(Clock::time_point now);

    // The receiving side lost its state (KWin restarted, the core reconnected): forward the next
    // report even if it names the pid forwarded last.
    void forget_forwarded() { last_forwarded_pid_ = 0; }

private:
    Clock::duration window_;
    std::optional<FocusReport> pending_;
    Clock::time_point pending_deadline_{};
    pid_t last_forwarded_pid_ = 0;
};

}  // namespace gamesched::kwin
