// `gamesched-bench forkexec`: a fork/exec/wait loop standing for a build driver spawning short
// compiler processes. Reports the rate and the per-spawn latency.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/bench/args.h"
#include "tools/bench/clock.h"
#include "tools/bench/commands.h"
#include "tools/bench/stats.h"

namespace gamesched::bench {

int run_forkexec(const Argv& argv) {
    auto parsed = Args::parse(argv, {});
    if (!parsed) return usage_error("forkexec", parsed.error().message);
    Args& a = *parsed;
    auto duration = a.number("--duration", 5, 0.1, 3600);
    if (!duration) return usage_error("forkexec", duration.error().message);
    const std::string exe = a.text("--exe").value_or("/bin/true");
    if (auto s = a.check_all_used(); !s) return usage_error("forkexec", s.error().message);
    if (access(exe.c_str(), X_OK) != 0)
        return usage_error("forkexec", exe + " is not executable (give --exe PATH)");

    std::vector<double> spawn_ms;
    spawn_ms.reserve(100000);
    uint64_t failures = 0;
    const int64_t t0 = now_ns();
    const int64_t end = t0 + static_cast<int64_t>(*duration * kNsPerS);
    while (now_ns() < end) {
        const int64_t started = now_ns();
        const pid_t child = fork();
        if (child < 0) {
            ++failures;
            continue;
        }
        if (child == 0) {
            execl(exe.c_str(), exe.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        int status = 0;
        waitpid(child, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
        if (spawn_ms.size() < spawn_ms.capacity())
            spawn_ms.push_back(static_cast<double>(now_ns() - started) / kNsPerMs);
    }
    const double elapsed_s = static_cast<double>(now_ns() - t0) / kNsPerS;
    // The CPU a build driver costs: its own forking and waiting, and every child it ran.
    const auto cpu_ms = [](int who) {
        rusage u{};
        getrusage(who, &u);
        const auto ms = [](const timeval& t) {
            return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
        };
        return ms(u.ru_utime) + ms(u.ru_stime);
    };
    const auto opt = [](std::optional<double> v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    const nlohmann::json out = {{"bench", "forkexec"},
                                {"exe", exe},
                                {"duration_s", elapsed_s},
                                {"spawns", spawn_ms.size()},
                                {"failures", failures},
                                {"spawns_per_s", static_cast<double>(spawn_ms.size()) / elapsed_s},
                                {"spawn_p50_ms", opt(percentile(spawn_ms, 50))},
                                {"spawn_p99_ms", opt(percentile(spawn_ms, 99))},
                                {"cpu_ms", cpu_ms(RUSAGE_SELF)},
                                {"children_cpu_ms", cpu_ms(RUSAGE_CHILDREN)}};
    std::printf("%s\n", out.dump().c_str());
    return failures == 0 ? 0 : 1;
}

}  // namespace gamesched::bench
