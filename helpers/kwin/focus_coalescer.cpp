#include "helpers/kwin/focus_coalescer.h"

namespace gamesched::kwin {

void FocusCoalescer::offer(FocusReport report, Clock::time_point now) {
    if (report.pid < 0) report.pid = 0;
    // The deadline is set by the first report of a burst and not pushed back by later ones, so a
    // continuous stream of reports still forwards every window_.
    if (!pending_) pending_deadline_ = now + window_;
    pending_ = std::move(report);
}

std::optional<FocusCoalescer::Clock::time_point> FocusCoalescer::deadline() const {
    if (!pending_) return std::nullopt;
    return pending_deadline_;
}

std::optional<FocusReport> FocusCoalescer::take_due(Clock::time_point now) {
    if (!pending_ || now < pending_deadline_) return std::nullopt;
    std::optional<FocusReport> due = std::move(pending_);
    pending_.reset();
    return due;
}

bool FocusCoalescer::mark_forwarded(pid_t pid) {
    if (pid == last_forwarded_pid_) return false;
    last_forwarded_pid_ = pid;
    return true;
}

}  // namespace gamesched::kwin
