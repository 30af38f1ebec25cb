// `gamesched-bench messaging`: a hackbench-like storm. In each group, every sender thread writes
// `--loops` small messages to every receiver thread of its group over a Unix stream socket
// pair; the wall time for this fixed amount of work is the throughput canary (wake-heavy,
// lock-heavy scheduling paths). `--repeat N` runs the same work N times and reports the median
// time; `--mark-pid P` sends P a SIGUSR2 between repeats (bpfstats --until-signal then closes a
// part of its window there, so the BPF cost of each repeat is measured apart).
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/bench/args.h"
#include "tools/bench/clock.h"
#include "tools/bench/commands.h"
#include "tools/bench/handoff.h"
#include "tools/bench/stats.h"
#include "tools/bench/thread_stats.h"
#include "util/unique_fd.h"

namespace gamesched::bench {
namespace {

constexpr size_t kMessageBytes = 100;

struct Pair {
    UniqueFd send_end;
    UniqueFd receive_end;
};

bool write_all(int fd, const char* data, size_t n) {
    while (n > 0) {
        const ssize_t w = write(fd, data, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        data += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

bool read_exactly(int fd, size_t n) {
    std::array<char, 4096> buffer{};
    while (n > 0) {
        const ssize_t r = read(fd, buffer.data(), std::min(n, buffer.size()));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        n -= static_cast<size_t>(r);
    }
    return true;
}

struct Storm {
    double time_s = 0;
    bool failed = false;
};

// One run of the fixed work: n_groups groups of per_group senders and receivers.
Result<Storm> run_storm(size_t n_groups, size_t per_group, size_t n_loops) {
    std::vector<Pair> pairs;  // one per receiver: group g, receiver r at g * per_group + r
    for (size_t i = 0; i < n_groups * per_group; ++i) {
        std::array<int, 2> sv{};
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv.data()) < 0)
            return Error::from_errno("socketpair (lower --groups/--fds or raise the fd limit)");
        pairs.push_back({UniqueFd(sv[0]), UniqueFd(sv[1])});
    }
    std::atomic<bool> stop{false};
    std::atomic<bool> failed{false};
    Handoff go;
    int64_t t0 = 0;
    {
        std::vector<std::jthread> threads;
        for (size_t g = 0; g < n_groups; ++g) {
            for (size_t r = 0; r < per_group; ++r) {
                threads.emplace_back([&, g, r] {
                    name_this_thread("gs-recv-" + std::to_string(g * per_group + r));
                    go.wait_past(0, stop);
                    if (!read_exactly(pairs[g * per_group + r].receive_end.get(),
                                      per_group * n_loops * kMessageBytes))
                        failed = true;
                });
            }
            for (size_t s = 0; s < per_group; ++s) {
                threads.emplace_back([&, g, s] {
                    name_this_thread("gs-send-" + std::to_string(g * per_group + s));
                    std::array<char, kMessageBytes> message{};
                    go.wait_past(0, stop);
                    for (size_t i = 0; i < n_loops; ++i) {
                        for (size_t r = 0; r < per_group; ++r) {
                            if (!write_all(pairs[g * per_group + r].send_end.get(), message.data(),
                                           message.size()))
                                failed = true;
                        }
                    }
                });
            }
        }
        t0 = now_ns();
        go.post();
    }
    return Storm{static_cast<double>(now_ns() - t0) / kNsPerS, failed.load()};
}

}  // namespace

int run_messaging(const Argv& argv) {
    auto parsed = Args::parse(argv, {});
    if (!parsed) return usage_error("messaging", parsed.error().message);
    Args& a = *parsed;
    auto groups = a.number("--groups", 2, 1, 64);
    auto fds = a.number("--fds", 8, 1, 64);
    auto loops = a.number("--loops", 200, 1, 1e7);
    auto repeat = a.number("--repeat", 1, 1, 100);
    auto mark_pid = a.number("--mark-pid", 0, 0, 4194304);
    for (const auto* r : {&groups, &fds, &loops, &repeat, &mark_pid}) {
        if (!*r) return usage_error("messaging", r->error().message);
    }
    if (auto s = a.check_all_used(); !s) return usage_error("messaging", s.error().message);
    const auto pid = static_cast<pid_t>(*mark_pid);
    if (pid == 1) return usage_error("messaging", "--mark-pid 1 would signal init; give bpfstats' pid");

    const auto n_groups = static_cast<size_t>(*groups);
    const auto per_group = static_cast<size_t>(*fds);
    const auto n_loops = static_cast<size_t>(*loops);
    std::vector<double> times;
    bool failed = false;
    for (int i = 0; i < static_cast<int>(*repeat); ++i) {
        if (i > 0 && pid > 0 && kill(pid, SIGUSR2) != 0)
            return usage_error(
                "messaging", "cannot signal --mark-pid " + std::to_string(pid) + ": " + std::strerror(errno));
        auto storm = run_storm(n_groups, per_group, n_loops);
        if (!storm) return usage_error("messaging", storm.error().message);
        times.push_back(storm->time_s);
        failed = failed || storm->failed;
    }
    const double elapsed_s = median(times).value_or(0);
    const size_t messages = n_groups * per_group * per_group * n_loops;
    const nlohmann::json out = {{"bench", "messaging"},
                                {"groups", n_groups},
                                {"fds", per_group},
                                {"loops", n_loops},
                                {"messages", messages},
                                {"repeats", times.size()},
                                {"times_s", times},
                                {"time_s", elapsed_s},
                                {"messages_per_s", static_cast<double>(messages) / elapsed_s},
                                {"failed", failed}};
    std::printf("%s\n", out.dump().c_str());
    return failed ? 1 : 0;
}

}  // namespace gamesched::bench
