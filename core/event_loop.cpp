#include "core/event_loop.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include <array>
#include <vector>

namespace gamesched {

Result<EventLoop> EventLoop::create() {
    UniqueFd ep(epoll_create1(EPOLL_CLOEXEC));
    if (!ep) return Error::from_errno("epoll_create1");
    return EventLoop(std::move(ep));
}

Status EventLoop::add(int fd, Callback cb) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) return Error::from_errno("epoll_ctl(ADD)");
    callbacks_[fd] = std::move(cb);
    return Ok{};
}

void EventLoop::remove(int fd) {
    epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
    callbacks_.erase(fd);
    owned_timers_.erase(fd);
}

Result<int> EventLoop::add_owned_timer(std::chrono::milliseconds first, std::chrono::milliseconds period,
                                       Callback cb, bool oneshot) {
    UniqueFd tfd(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!tfd) return Error::from_errno("timerfd_create");
    auto to_timespec = [](std::chrono::milliseconds ms) {
        return timespec{static_cast<time_t>(ms.count() / 1000),
                        static_cast<long>(ms.count() % 1000) * 1000000L};
    };
    itimerspec spec{};
    spec.it_value = to_timespec(first.count() > 0 ? first : std::chrono::milliseconds(1));
    spec.it_interval = oneshot ? timespec{} : to_timespec(period);
    if (timerfd_settime(tfd.get(), 0, &spec, nullptr) != 0) return Error::from_errno("timerfd_settime");
    int fd = tfd.get();
    auto wrapped = [this, fd, oneshot, cb = std::move(cb)] {
        uint64_t expirations = 0;
        if (::read(fd, &expirations, sizeof expirations) < 0) return;
        auto keep = cb;  // the callback may outlive its registration when oneshot removes it
        if (oneshot) remove(fd);
        keep();
    };
    if (auto st = add(fd, std::move(wrapped)); !st) return st.error();
    owned_timers_.emplace(fd, std::move(tfd));
    return fd;
}

Result<int> EventLoop::add_timer(std::chrono::milliseconds period, Callback cb) {
    return add_owned_timer(period, period, std::move(cb), false);
}

Status EventLoop::add_oneshot(std::chrono::milliseconds delay, Callback cb) {
    auto fd = add_owned_timer(delay, delay, std::move(cb), true);
    if (!fd) return fd.error();
    return Ok{};
}

Status EventLoop::run() {
    running_ = true;
    std::array<epoll_event, 16> events{};
    while (running_) {
        int n = epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            return Error::from_errno("epoll_wait");
        }
        for (int i = 0; i < n && running_; ++i) {
            auto it = callbacks_.find(events[static_cast<size_t>(i)].data.fd);
            if (it == callbacks_.end()) continue;  // removed by an earlier callback this round
            auto cb = it->second;
            cb();
        }
    }
    return Ok{};
}

Result<UniqueFd> control_signalfd() {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) return Error::from_errno("sigprocmask");
    UniqueFd fd(signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!fd) return Error::from_errno("signalfd");
    return fd;
}

Result<int> read_signal(int signal_fd) {
    signalfd_siginfo info{};
    const ssize_t n = ::read(signal_fd, &info, sizeof info);
    if (n < 0 && errno == EAGAIN) return 0;
    if (n != static_cast<ssize_t>(sizeof info)) return Error::from_errno("read(signalfd)");
    return static_cast<int>(info.ssi_signo);
}

}  // namespace gamesched
