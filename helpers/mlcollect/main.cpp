// gamesched-mlcollect: per-game samples, autotune and profiles (docs/ml.md, docs/autotune.md).
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>

#include <cstdio>
#include <filesystem>

#include "helpers/common/sandbox.h"
#include "helpers/mlcollect/core_link.h"
#include "helpers/mlcollect/options.h"
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

bool stop_requested(int signal_fd, std::chrono::milliseconds wait) {
    pollfd p{signal_fd, POLLIN, 0};
    return poll(&p, 1, static_cast<int>(wait.count())) > 0;
}

// Runs until a stop signal; reconnects to the core with a growing delay when it goes away.
int serve(ml::Collector& collector, ml::CoreLink& core, int signal_fd) {
    std::chrono::milliseconds backoff = 500ms;
    bool warned = false;
    for (;;) {
        if (!core.connected()) {
            if (auto st = core.connect(); !st) {
                if (!warned)
                    spdlog::warn("{}; retrying until gamesched-core is reachable", st.error().message);
                warned = true;
                if (stop_requested(signal_fd, backoff)) return 0;
                backoff = std::min(backoff * 2, std::chrono::milliseconds(10s));
                continue;
            }
            spdlog::info("connected to gamesched-core; collecting statistics");
            warned = false;
            backoff = 500ms;
        }
        pollfd fds[2] = {{signal_fd, POLLIN, 0}, {core.fd(), POLLIN, 0}};
        if (poll(fds, 2, 2000) < 0 && errno != EINTR) return 1;
        if (fds[0].revents & POLLIN) {
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

}  // namespace

int main(int argc, char** argv) {
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
    if (auto confined = gamesched::sandbox::confine({}); !confined) {
        spdlog::error("cannot confine myself: {}", confined.error().message);
        return 1;
    }
    const std::filesystem::path state = ml::resolve_state_dir(*options);
    std::error_code ec;
    std::filesystem::create_directories(state / "samples", ec);
    if (ec) {
        spdlog::error("cannot create {}: {}; pass --state-dir or run as the packaged unit",
                      (state / "samples").string(), ec.message());
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
    const int rc = serve(collector, core, signals.get());
    spdlog::info("stopping");
    return rc;
}
