// gamesched-sockets-testd: the core's socket layer around an in-memory scheduler, for host
// integration tests. Started by systemd-socket-activate (or by hand, then it creates the
// sockets). Publishes a stats sample every --stats-every-ms and one process event per added game.
#include "core/server/server.h"
#include "tests/integration/ipc/recording_scheduler.h"
#include "util/log.h"
#include "util/log_rate_limit.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string_view>

using namespace gamesched;

namespace {

bool parse_option(std::string_view arg, server::ServerConfig& config, long& stats_every_ms, bool& verbose) {
    const auto eq = arg.find('=');
    if (!arg.starts_with("--") || eq == std::string_view::npos) return false;
    const std::string key(arg.substr(2, eq - 2));
    const std::string value(arg.substr(eq + 1));
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    const bool numeric = end != value.c_str() && *end == '\0' && number >= 0;
    if (key == "runtime-dir")
        config.runtime_dir = value;
    else if (key == "control-group")
        config.control_group = value;
    else if (key == "bridge-user")
        config.bridge_user = value;
    else if (key == "log-level" && (value == "debug" || value == "info"))
        verbose = value == "debug";
    else if (!numeric)
        return false;
    else if (key == "lease-grace-ms")
        config.lease_grace = std::chrono::milliseconds(long(number));
    else if (key == "hint-rate")
        config.hints_per_second = number;
    else if (key == "hint-burst")
        config.hint_burst = number;
    else if (key == "max-games")
        config.max_games_per_uid = std::size_t(number);
    else if (key == "max-connections-per-uid")
        config.max_connections_per_uid = std::size_t(number);
    else if (key == "stats-every-ms")
        stats_every_ms = long(number);
    else if (key == "verbose")
        verbose = number != 0;
    else
        return false;
    return true;
}

}  // namespace

// A test tool: an escaping exception ends it with a message, which fails the test as it should.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
    server::ServerConfig config;
    long stats_every_ms = 100;
    bool verbose = true;
    for (int i = 1; i < argc; ++i) {
        if (!parse_option(argv[i], config, stats_every_ms, verbose)) {
            std::cerr
                << "usage: gamesched-sockets-testd --runtime-dir=DIR [--lease-grace-ms=N] "
                   "[--hint-rate=R] [--hint-burst=N] [--max-games=N] "
                   "[--max-connections-per-uid=N] [--stats-every-ms=N] "
                   "[--control-group=NAME] [--bridge-user=NAME] [--verbose=0|1] [--log-level=debug|info]\n";
            return 2;
        }
    }
    init_logging("gamesched-sockets-testd", verbose);
    test::RecordingScheduler scheduler;
    auto server = server::Server::create(config, scheduler);
    if (!server) {
        spdlog::error("{}", server.error().message);
        return 1;
    }

    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    sigprocmask(SIG_BLOCK, &stop_signals, nullptr);
    UniqueFd signals(signalfd(-1, &stop_signals, SFD_CLOEXEC));
    UniqueFd stats_timer(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
    itimerspec every{};
    every.it_interval.tv_sec = stats_every_ms / 1000;
    every.it_interval.tv_nsec = (stats_every_ms % 1000) * 1'000'000;
    every.it_value = every.it_interval;
    UniqueFd epoll(epoll_create1(EPOLL_CLOEXEC));
    if (!signals || !stats_timer || !epoll || timerfd_settime(stats_timer.get(), 0, &every, nullptr)) {
        spdlog::error("setting up the event loop: {}", std::strerror(errno));
        return 1;
    }
    for (int fd : {(*server)->poll_fd(), signals.get(), stats_timer.get()}) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = fd;
        epoll_ctl(epoll.get(), EPOLL_CTL_ADD, fd, &event);
    }

    std::uint64_t seq = 0;
    for (;;) {
        epoll_event events[4];
        const int ready = epoll_wait(epoll.get(), events, 4, -1);
        if (ready < 0 && errno == EINTR) continue;
        for (int i = 0; i < ready; ++i) {
            const int fd = events[i].data.fd;
            if (fd == signals.get()) {
                report_suppressed_logs(true);
                spdlog::info("stopping");
                return 0;
            }
            if (fd == stats_timer.get()) {
                std::uint64_t ticks = 0;
                (void)!read(fd, &ticks, sizeof ticks);
                (*server)->publish_stats({{"seq", ++seq}});
                report_suppressed_logs();  // as the core's 5 s timer does
            } else {
                (*server)->dispatch();
            }
        }
        while (!scheduler.pending_events.empty()) {
            (*server)->publish_process_event(scheduler.pending_events.front());
            scheduler.pending_events.pop_front();
        }
    }
}
