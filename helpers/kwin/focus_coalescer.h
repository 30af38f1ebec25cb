// Turns the stream of reports from KWin into focus changes worth forwarding: bursts (alt-tab
// through several windows) collapse to the last window within one window of time, and a pid
// already forwarded is not sent again. A report without a pid (0: KWin does not know the
// window's process) is kept like any other; the helper then asks the X server (x11_window_pid.h).
#pragma once

#include "helpers/kwin/focus_report.h"

#include <chrono>
#include <optional>

namespace gamesched::kwin {

class FocusCoalescer {
public:
    using Clock = std::chrono::steady_clock;

    explicit FocusCoalescer(Clock::duration window) : window_(window) {}

    // A report arrived; it replaces what is pending (a negative pid is taken as unknown, 0).
    void offer(FocusReport report, Clock::time_point now);

    // When take_due() will have something to return; nullopt when nothing is pending.
    [[nodiscard]] std::optional<Clock::time_point> deadline() const;

    // The last report of a burst, once its window has closed. Its pid may be 0.
    std::optional<FocusReport> take_due(Clock::time_point now);

    // Records pid (> 0) as the focus the receiver now knows; false when it already knew it, so
    // there is nothing to send.
    bool mark_forwarded(pid_t pid);

    // Drops what is pending: it belonged to a KWin that is gone.
    void cancel() { pending_.reset(); }

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
