// The core's single event loop: epoll over ring buffers, sockets, signalfd and timerfds. No
// threads; every callback runs to completion on this loop.
#pragma once

#include <chrono>
#include <functional>
#include <map>

#include "util/result.h"
#include "util/unique_fd.h"

namespace gamesched {

class EventLoop {
public:
    using Callback = std::function<void()>;

    static Result<EventLoop> create();

    // Calls cb whenever fd is readable. fd stays owned by the caller and must outlive the
    // registration (remove() it before closing).
    Status add(int fd, Callback cb);
    void remove(int fd);

    // A periodic timer owned by the loop; returns its fd so that it can be removed.
    Result<int> add_timer(std::chrono::milliseconds period, Callback cb);
    // A one-shot timer, owned by the loop and dropped once it fired.
    Status add_oneshot(std::chrono::milliseconds delay, Callback cb);

    // Runs until stop() is called from a callback.
    Status run();
    void stop() { running_ = false; }

private:
    explicit EventLoop(UniqueFd epoll) : epoll_(std::move(epoll)) {}
    Result<int> add_owned_timer(std::chrono::milliseconds first, std::chrono::milliseconds period,
                                Callback cb, bool oneshot);

    UniqueFd epoll_;
    std::map<int, Callback> callbacks_;
    std::map<int, UniqueFd> owned_timers_;
    bool running_ = false;
};

// Blocks SIGTERM, SIGINT (stop) and SIGHUP (reload the configuration) for the process and
// returns a signalfd that reports them.
Result<UniqueFd> control_signalfd();
// The next pending signal of a signalfd; 0 when none is pending.
Result<int> read_signal(int signal_fd);

}  // namespace gamesched
