// Messages a peer can cause in bulk (connections, refusals, leases, registrations) go through a
// LogRateLimit, so that a flood of clients cannot bury the core's own messages: per category, at
// most `burst` messages per `window` are logged; the rest are counted and summed up in one
// "N similar messages suppressed" entry once the window is over.
#pragma once

#include "util/message_ids.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace gamesched {

class LogRateLimit {
public:
    using Clock = std::chrono::steady_clock;

    // The summary entry carries message_id (by default "logs suppressed"; a category with its
    // own MESSAGE_ID, such as refused hints, keeps it for the summary too).
    LogRateLimit(std::string category, std::size_t burst, std::chrono::seconds window,
                 const char* message_id = message_id::kLogsSuppressed);
    ~LogRateLimit();
    LogRateLimit(const LogRateLimit&) = delete;
    LogRateLimit& operator=(const LogRateLimit&) = delete;

    // True: log this message now. False: it was counted for the window's summary.
    [[nodiscard]] bool allow(Clock::time_point now = Clock::now());
    // Logs the summary of a finished window that suppressed messages; with force, of the
    // current window too (at exit).
    void report(Clock::time_point now, bool force = false);

    [[nodiscard]] const std::string& category() const { return category_; }

private:
    void report_locked(Clock::time_point now);

    std::mutex mutex_;
    std::string category_;
    std::size_t burst_;
    std::chrono::seconds window_;
    const char* message_id_;
    Clock::time_point window_start_{};
    std::size_t logged_in_window_ = 0;
    std::size_t suppressed_in_window_ = 0;
};

// report() on every live LogRateLimit: called periodically by the event loop's owner (so a flood
// that stopped still gets its summary), and with force at exit.
void report_suppressed_logs(bool force = false,
                            LogRateLimit::Clock::time_point now = LogRateLimit::Clock::now());

}  // namespace gamesched
