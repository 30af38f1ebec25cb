#include "util/log_rate_limit.h"

#include "util/journal.h"

#include <algorithm>
#include <vector>

namespace gamesched {
namespace {

struct Registry {
    std::mutex mutex;
    std::vector<LogRateLimit*> limits;
};

// Created by the first LogRateLimit, so it outlives every static one.
Registry& registry() {
    static Registry instance;
    return instance;
}

}  // namespace

LogRateLimit::LogRateLimit(std::string category, std::size_t burst, std::chrono::seconds window,
                           const char* message_id)
    : category_(std::move(category)), burst_(burst), window_(window), message_id_(message_id) {
    auto& all = registry();
    const std::lock_guard lock(all.mutex);
    all.limits.push_back(this);
}

LogRateLimit::~LogRateLimit() {
    auto& all = registry();
    const std::lock_guard lock(all.mutex);
    all.limits.erase(std::remove(all.limits.begin(), all.limits.end(), this), all.limits.end());
}

bool LogRateLimit::allow(Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    if (now - window_start_ >= window_) {
        report_locked(now);
        window_start_ = now;
        logged_in_window_ = 0;
    }
    if (logged_in_window_ < burst_) {
        ++logged_in_window_;
        return true;
    }
    ++suppressed_in_window_;
    return false;
}

void LogRateLimit::report(Clock::time_point now, bool force) {
    const std::lock_guard lock(mutex_);
    if (force || now - window_start_ >= window_) report_locked(now);
}

void LogRateLimit::report_locked(Clock::time_point now) {
    if (suppressed_in_window_ == 0) return;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - window_start_).count();
    log_event(
        spdlog::level::warn, message_id_,
        fmt::format("{} similar messages suppressed in the last {} s ({}; at most {} per {} s are logged)",
                    suppressed_in_window_, seconds, category_, burst_, window_.count()),
        {{"GAMESCHED_SUPPRESSED", std::to_string(suppressed_in_window_)},
         {"GAMESCHED_LOG_CATEGORY", category_}});
    suppressed_in_window_ = 0;
}

void report_suppressed_logs(bool force, LogRateLimit::Clock::time_point now) {
    auto& all = registry();
    const std::lock_guard lock(all.mutex);
    for (auto* limit : all.limits) limit->report(now, force);
}

}  // namespace gamesched
