#include "helpers/detect/service.h"

#include <poll.h>

#include <algorithm>
#include <array>

#include "util/log.h"

namespace gamesched::detect {

void Service::try_connect(Clock::time_point now) {
    if (auto connected = core_.connect(); !connected) {
        // Say it once at warning level; the retries that follow are routine.
        if (!warned_unreachable_) {
            spdlog::warn("cannot reach gamesched-core ({}); retrying, games are tracked meanwhile",
                         connected.error().message);
            warned_unreachable_ = true;
        } else {
            spdlog::debug("core still unreachable: {}", connected.error().message);
        }
        reconnect_.failed(now);
        reconnect_at_ = reconnect_.next_attempt();
        return;
    }
    spdlog::info("connected to gamesched-core");
    warned_unreachable_ = false;
    reconnect_.reset();
    on_connected(now);
}

// Events were lost while disconnected: the scan finds games started meanwhile and reports the
// exits it missed; games still running are announced again, in case the core restarted and
// lost them (renew only adopts leases of a core that kept running).
void Service::on_connected(Clock::time_point now) {
    std::vector<GameReport> known = detector_.games();
    if (auto scanned = detector_.scan(now); !scanned) spdlog::error("{}", scanned.error().message);
    for (const auto& game : detector_.games()) {
        const bool was_known =
            std::any_of(known.begin(), known.end(), [&](const auto& k) { return k.pid == game.pid; });
        if (was_known) core_.game_started(game);
    }
    renew_at_.reset();
}

void Service::drain_core_events(Clock::time_point now) {
    // Hints sent while handling events can queue more events inside the link, which poll()
    // would not see: keep going until a pass brings nothing.
    for (;;) {
        std::vector<ProcessNotice> events;
        if (auto taken = core_.take_events(events); !taken) {
            spdlog::warn("lost the connection to gamesched-core: {}", taken.error().message);
            core_.disconnect();
            reconnect_at_ = now;
            return;
        }
        if (events.empty()) return;
        for (const auto& event : events) {
            if (event.kind == ProcessNotice::Kind::exec)
                detector_.on_exec(event.pid, now);
            else
                detector_.on_exit(event.pid);
        }
    }
}

std::optional<Clock::time_point> Service::next_wakeup() const {
    std::optional<Clock::time_point> wake = detector_.next_deadline();
    auto consider = [&](std::optional<Clock::time_point> t) {
        if (t && (!wake || *t < *wake)) wake = t;
    };
    if (!core_.connected()) consider(reconnect_at_);
    consider(renew_at_);
    if (gamemode_ != nullptr) consider(gamemode_->poll_data().deadline);
    return wake;
}

Status Service::run(int stop_fd) {
    try_connect(Clock::now());
    if (!core_.connected()) {
        // Learn what is running now, so it can be announced the moment the core answers.
        if (auto scanned = detector_.scan(Clock::now()); !scanned) return scanned.error();
    }
    for (;;) {
        Clock::time_point now = Clock::now();
        if (core_.connected() && !detector_.games().empty() && !renew_at_)
            renew_at_ = now + timing_.renew_interval;
        if (detector_.games().empty()) renew_at_.reset();

        std::array<pollfd, 3> fds{};
        nfds_t count = 0;
        fds[count++] = {stop_fd, POLLIN, 0};
        const int core_index = core_.connected() ? static_cast<int>(count) : -1;
        if (core_index >= 0) fds[count++] = {core_.fd(), POLLIN, 0};
        const int bus_index = gamemode_ != nullptr ? static_cast<int>(count) : -1;
        if (bus_index >= 0) {
            const auto bus = gamemode_->poll_data();
            fds[count++] = {bus.fd, bus.events, 0};
        }
        int timeout_ms = -1;
        if (auto wake = next_wakeup()) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(*wake - now).count();
            timeout_ms = static_cast<int>(std::clamp<long long>(left, 0, 24 * 3600 * 1000));
        }
        if (::poll(fds.data(), count, timeout_ms) < 0) {
            if (errno == EINTR) continue;
            return Error::from_errno("poll");
        }
        now = Clock::now();
        if (fds[0].revents != 0) return Ok{};
        if (core_index >= 0 && fds[core_index].revents != 0) drain_core_events(now);
        if (bus_index >= 0) {
            if (auto processed = gamemode_->process(); !processed) {
                spdlog::warn("{}; no longer watching GameMode", processed.error().message);
                gamemode_ = nullptr;
            }
        }
        if (auto due = detector_.next_deadline(); due && *due <= now) detector_.on_timer(now);
        if (renew_at_ && *renew_at_ <= now) {
            detector_.check_games();  // an exit event lost on the way must not keep a lease alive
            if (auto renewed = core_.renew(); !renewed)
                spdlog::debug("renew failed: {}", renewed.error().message);
            renew_at_ = now + timing_.renew_interval;
        }
        if (!core_.connected() && reconnect_at_ <= now) try_connect(now);
        if (core_.connected() && core_.take_silent_reconnect()) on_connected(now);
        if (core_.connected()) drain_core_events(now);
    }
}

}  // namespace gamesched::detect
