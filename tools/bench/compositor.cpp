// `gamesched-bench compositor`: a stand-in for the compositor (kwin_wayland), a separate process
// with one thread. It listens on a SOCK_SEQPACKET socket; the game (`game --compositor PATH`)
// hands it every finished frame, it composites (a fixed amount of computation) and answers with
// the time it was done. Runs until the game hangs up; prints one JSON object.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include <nlohmann/json.hpp>

#include "ipc/unix_socket.h"
#include "tools/bench/args.h"
#include "tools/bench/clock.h"
#include "tools/bench/commands.h"
#include "tools/bench/presenter.h"
#include "tools/bench/spin.h"
#include "tools/bench/thread_stats.h"

namespace gamesched::bench {
int run_compositor(const Argv& argv) {
    auto parsed = Args::parse(argv, {});
    if (!parsed) return usage_error("compositor", parsed.error().message);
    Args& a = *parsed;
    const auto socket_path = a.text("--socket");
    auto work_us = a.number("--work-us", 500, 0, 1e6);
    auto scale = a.number("--load-scale", 1, 0, 10);
    auto loops_per_us = a.number("--loops-per-us", 0, 0, 1e6);
    auto wait_s = a.number("--wait", 60, 1, 3600);
    for (const auto* r : {&work_us, &scale, &loops_per_us, &wait_s}) {
        if (!*r) return usage_error("compositor", r->error().message);
    }
    if (!socket_path) return usage_error("compositor", "--socket PATH is required");
    if (auto s = a.check_all_used(); !s) return usage_error("compositor", s.error().message);
    const double per_us = *loops_per_us > 0 ? *loops_per_us : calibrate_loops_per_us();
    const uint64_t work = loops_for_us(per_us * *scale, *work_us);

    if (socket_path->empty()) return usage_error("compositor", "--socket: empty path");
    auto listener = ipc::listen_seqpacket(*socket_path, 0600, 1);
    if (!listener) return usage_error("compositor", listener.error().message);
    name_this_thread("gs-compositor");
    pollfd pfd{listener->get(), POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(*wait_s * 1000)) != 1)
        return usage_error("compositor", "no game connected within --wait seconds");
    UniqueFd game(::accept4(listener->get(), nullptr, nullptr, SOCK_CLOEXEC));
    ::unlink(socket_path->c_str());
    if (!game) return usage_error("compositor", std::string("accept: ") + std::strerror(errno));

    uint64_t frames = 0;
    PresentMessage message;
    while (::recv(game.get(), &message, sizeof message, 0) == static_cast<ssize_t>(sizeof message)) {
        spin_loops(work);
        message.shown_ns = now_ns();
        (void)::send(game.get(), &message, sizeof message, MSG_NOSIGNAL);
        ++frames;
    }
    const nlohmann::json out = {{"bench", "compositor"},
                                {"pid", ::getpid()},
                                {"frames_composited", frames},
                                {"work_us", *work_us * *scale},
                                {"thread", to_json(this_thread_stats("compositor"))}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
}

}  // namespace gamesched::bench
