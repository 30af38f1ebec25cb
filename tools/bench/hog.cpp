// `gamesched-bench hog`: CPU burners standing for a build's compiler jobs. Reports how much work
// they got done, the background-throughput guard of the benchmark.
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/bench/args.h"
#include "tools/bench/clock.h"
#include "tools/bench/commands.h"
#include "tools/bench/spin.h"
#include "tools/bench/thread_stats.h"

namespace gamesched::bench {

constexpr uint64_t kHogChunk = 4096;

int run_hog(const Argv& argv) {
    auto parsed = Args::parse(argv, {});
    if (!parsed) return usage_error("hog", parsed.error().message);
    Args& a = *parsed;
    auto duration = a.number("--duration", 5, 0.1, 3600);
    auto count = a.number("--threads", 1, 1, 256);
    auto nice = a.number("--nice", 0, -20, 19);
    for (const auto* r : {&duration, &count, &nice}) {
        if (!*r) return usage_error("hog", r->error().message);
    }
    if (auto s = a.check_all_used(); !s) return usage_error("hog", s.error().message);

    const auto n = static_cast<size_t>(*count);
    std::atomic<bool> stop{false};
    std::vector<uint64_t> loops(n, 0);
    std::vector<ThreadStats> stats(n);
    const int64_t t0 = now_ns();
    {
        std::vector<std::jthread> threads;
        for (size_t i = 0; i < n; ++i) {
            threads.emplace_back([&, i] {
                name_this_thread("gs-hog-" + std::to_string(i));
                setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), static_cast<int>(*nice));
                uint64_t done = 0;
                while (!stop.load(std::memory_order_relaxed)) {
                    spin_loops(kHogChunk);
                    done += kHogChunk;
                }
                loops[i] = done;
                stats[i] = this_thread_stats("hog");
            });
        }
        sleep_until_ns(t0 + static_cast<int64_t>(*duration * kNsPerS));
        stop.store(true);
    }
    const double elapsed_s = static_cast<double>(now_ns() - t0) / kNsPerS;
    uint64_t total = 0;
    double cpu_ms = 0;
    nlohmann::json threads = nlohmann::json::array();
    for (size_t i = 0; i < n; ++i) {
        total += loops[i];
        cpu_ms += stats[i].cpu_ms;
        auto t = to_json(stats[i]);
        t["loops"] = loops[i];
        threads.push_back(t);
    }
    const nlohmann::json out = {
        {"bench", "hog"},
        {"pid", getpid()},
        {"threads", threads},
        {"nice", *nice},
        {"duration_s", elapsed_s},
        {"loops", total},
        {"loops_per_s", static_cast<double>(total) / elapsed_s},
        {"cpu_ms", cpu_ms},
        // Work per CPU second: what the hogs got out of the time they had.
        {"loops_per_cpu_s", cpu_ms > 0 ? static_cast<double>(total) / (cpu_ms / 1e3) : 0.0}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
}

}  // namespace gamesched::bench
