// gamesched-mlcollect: per-game samples, autotune and profiles (docs/ml.md, docs/autotune.md).
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>

#include <cstdio>
#include <filesystem>

#include "helpers/mlcollect/confinement.h"
#include "helpers/mlcollect/core_link.h"
#include "helpers/mlcollect/options.h"
#include "helpers/mlcollect/request_socket.h"
#include "util/log.h"
#include "util/unique_fd.h"

namespace ml = gamesched::ml;
using namespace std::chrono_literals;

namespace {

gamesched::UniqueFd stop_signals() {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    return gamesched::UniqueFd(signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK));
}

// Runs until a stop signal; reconnects to the core with a growing delay when it goes away.
// Requests on our own socket are answered meanwhile, connected or not.
int serve(ml::Collector& collector, ml::CoreLink& core, int signal_fd, ml::RequestSocket* requests,
          ml::RequestContext& context) {
    const int request_fd = requests ? requests->fd() : -1;
    auto wait = [&](std::chrono::milliseconds timeout) {  // true: stop requested
        pollfd fds[3] = {{signal_fd, POLLIN, 0}, {request_fd, POLLIN, 0}, {core.fd(), POLLIN, 0}};
        const nfds_t count = core.connected() ? 3 : 2;
        if (poll(fds, count, static_cast<int>(timeout.count())) < 0) return false;
        if (fds[1].revents & POLLIN) requests->serve_pending(context);
        return (fds[0].revents & POLLIN) != 0;
    };
    std::chrono::milliseconds backoff = 500ms;
    bool warned = false;
    for (;;) {
        if (!core.connected()) {
            if (auto st = core.connect(); !st) {
                if (!warned)
                    spdlog::warn("{}; retrying until gamesched-core is reachable", st.error().message);
                warned = true;
                for (auto until = std::chrono::steady_clock::now() + backoff;
                     std::chrono::steady_clock::now() < until;)
                    if (wait(std::chrono::duration_cast<std::chrono::milliseconds>(
                            until - std::chrono::steady_clock::now())))
                        return 0;
                backoff = std::min(backoff * 2, std::chrono::milliseconds(10s));
                continue;
            }
            spdlog::info("connected to gamesched-core; collecting statistics");
            warned = false;
            backoff = 500ms;
        }
        if (wait(2000ms)) {
            collector.stop();
            return 0;
        }
        for (;;) {
            auto sample = core.next_sample(0ms);
            if (!sample) {
                spdlog::warn("lost gamesched-core ({}); reconnecting", sample.error().message);
                collector.stop();
                break;
            }
            if (!*sample) break;
            collector.on_sample(**sample);
        }
    }
}

int run(int argc, char** argv) {
    auto options = ml::parse_options(std::vector<std::string>(argv + 1, argv + argc));
    if (!options) {
        std::fprintf(stderr, "gamesched-mlcollect: %s\n", options.error().message.c_str());
        return 2;
    }
    if (options->help) {
        std::fputs(ml::usage_text().c_str(), stdout);
        return 0;
    }
    if (options->version) {
        std::printf("gamesched-mlcollect %s\n", GAMESCHED_VERSION);
        return 0;
    }
    gamesched::init_logging("gamesched-mlcollect", options->verbose);
    const std::filesystem::path state = ml::resolve_state_dir(*options);
    std::error_code ec;
    std::filesystem::create_directories(state / "samples", ec);
    if (ec) {
        spdlog::error("cannot create {}: {}; pass --state-dir or run as the packaged unit",
                      (state / "samples").string(), ec.message());
        return 1;
    }
    auto requests = ml::RequestSocket::open(options->listen_path);
    if (!requests)
        spdlog::warn(
            "no request socket ({}): gameschedctl profile and ml commands will not reach me; "
            "run as the packaged unit (gamesched-mlcollect.socket) or pass --listen",
            requests.error().message);
    if (auto confined = gamesched::sandbox::confine(ml::confinement(state)); !confined) {
        spdlog::error("cannot confine myself: {}", confined.error().message);
        return 1;
    }
    auto signals = stop_signals();
    if (!signals) {
        spdlog::error("signalfd: {}", std::strerror(errno));
        return 1;
    }
    ml::SampleStore samples(state / "samples", options->limits);
    ml::ProfileStore profiles(state / "profiles");
    ml::CoreLink core(options->socket_path);
    ml::Collector collector(samples, profiles, core, options->collector);
    spdlog::info("storing samples under {}; autotune {}", state.string(),
                 options->collector.autotune ? "on" : "off");
    ml::RequestContext context{profiles, state / "samples", collector};
    const int rc = serve(collector, core, signals.get(), requests ? &*requests : nullptr, context);
    spdlog::info("stopping");
    return rc;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {  // out of memory, or a library's surprise: say it, exit
        std::fprintf(stderr, "gamesched-mlcollect: %s\n", e.what());
    } catch (...) {
        std::fprintf(stderr, "gamesched-mlcollect: unknown exception\n");
    }
    return 1;
}
