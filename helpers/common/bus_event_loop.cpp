#include "helpers/common/bus_event_loop.h"

#include "util/log.h"

#include <sdbus-c++/Error.h>

#include <poll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include <csignal>
#include <cstdint>
#include <cstring>
#include <utility>

namespace gamesched {

Result<EventLoop> EventLoop::create() {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    if (sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) return Error::from_errno("blocking SIGTERM/SIGINT");
    // A closed stdout in --print mode shows up as EPIPE from write(), handled there.
    std::signal(SIGPIPE, SIG_IGN);

    UniqueFd signal_fd(signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!signal_fd) return Error::from_errno("signalfd");
    UniqueFd timer_fd(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!timer_fd) return Error::from_errno("timerfd_create");
    return EventLoop(std::move(signal_fd), std::move(timer_fd));
}

Status EventLoop::arm_timer(std::optional<Clock::time_point> when) {
    itimerspec spec{};
    if (when) {
        // steady_clock is CLOCK_MONOTONIC on Linux; an absolute expiry in the past fires at once.
        const auto ns =
            std::chrono::duration_cast<std::chrono::nanoseconds>(when->time_since_epoch()).count();
        spec.it_value.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
        spec.it_value.tv_nsec = static_cast<long>(ns % 1'000'000'000);
        if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;
    }
    if (timerfd_settime(timer_fd_.get(), TFD_TIMER_ABSTIME, &spec, nullptr) != 0) {
        return Error::from_errno("timerfd_settime");
    }
    return Ok{};
}

Status EventLoop::dispatch_bus(sdbus::IConnection& bus) {
    try {
        // Synchronous calls leave messages that arrived meanwhile in sd-bus's queue, where poll()
        // cannot see them: drain everything before sleeping again.
        while (bus.processPendingRequest()) {
        }
    } catch (const sdbus::Error& e) {
        return Error{0, "bus: " + e.getName() + ": " + e.getMessage()};
    }
    return Ok{};
}

Status EventLoop::run(sdbus::IConnection& bus, const std::function<void()>& on_timer) {
    for (;;) {
        if (auto s = dispatch_bus(bus); !s) return s;
        if (stop_status_) return *std::exchange(stop_status_, std::nullopt);

        const sdbus::IConnection::PollData bus_poll = bus.getEventLoopPollData();
        pollfd fds[3] = {
            {bus_poll.fd, bus_poll.events, 0},
            {signal_fd_.get(), POLLIN, 0},
            {timer_fd_.get(), POLLIN, 0},
        };
        const int rc = ::poll(fds, 3, bus_poll.getPollTimeout());
        if (rc < 0 && errno == EINTR) continue;
        if (rc < 0) return Error::from_errno("poll");

        if (fds[1].revents & POLLIN) {
            signalfd_siginfo info{};
            if (::read(signal_fd_.get(), &info, sizeof info) == sizeof info) {
                spdlog::info("received {}, stopping", strsignal(static_cast<int>(info.ssi_signo)));
            }
            return Ok{};
        }
        if (fds[2].revents & POLLIN) {
            std::uint64_t expirations = 0;
            if (::read(timer_fd_.get(), &expirations, sizeof expirations) == sizeof expirations) on_timer();
        }
        if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
            if (auto s = dispatch_bus(bus); !s) return s;
            return Error::invalid("the bus closed the connection");
        }
    }
}

}  // namespace gamesched
