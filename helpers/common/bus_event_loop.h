// A D-Bus helper's only loop (gamesched-kwin, gamesched-bus): it sleeps in poll() on the bus
// connection, a signalfd (SIGTERM, SIGINT) and one timerfd, so it uses no CPU while nothing
// happens.
#pragma once

#include "util/result.h"
#include "util/unique_fd.h"

#include <sdbus-c++/IConnection.h>

#include <chrono>
#include <functional>
#include <optional>

namespace gamesched {

class EventLoop {
public:
    using Clock = std::chrono::steady_clock;

    // Blocks SIGTERM and SIGINT (they arrive through the signalfd instead) and ignores SIGPIPE.
    static Result<EventLoop> create();

    // One wake-up at `when` (replacing any earlier one); nullopt disarms.
    Status arm_timer(std::optional<Clock::time_point> when);

    // Dispatches bus messages (their handlers run inside) and timer expiries until a signal
    // arrives (returns Ok) or the bus connection fails (returns the error).
    Status run(sdbus::IConnection& bus, const std::function<void()>& on_timer);

    // From inside a handler: leave run() with this status once the handler returns.
    void stop(Status status) { stop_status_ = std::move(status); }

private:
    EventLoop(UniqueFd signal_fd, UniqueFd timer_fd)
        : signal_fd_(std::move(signal_fd)), timer_fd_(std::move(timer_fd)) {}

    Status dispatch_bus(sdbus::IConnection& bus);

    UniqueFd signal_fd_;
    UniqueFd timer_fd_;
    std::optional<Status> stop_status_;
};

}  // namespace gamesched
