// `gamesched-bench fairness`: N equal CPU hogs and one nice-19 hog. Each hog reads the clock
// between small chunks of work; the longest gap between two reads is the longest time it spent
// off the CPU (oslat-style). Reports Jain's index over the equal hogs' CPU time, the nice-19
// hog's progress, and the gaps: the starvation guard of the benchmark.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/bench/args.h"
#include "tools/bench/clock.h"
#include "tools/bench/commands.h"
#include "tools/bench/handoff.h"
#include "tools/bench/spin.h"
#include "tools/bench/stats.h"
#include "tools/bench/thread_stats.h"

namespace gamesched::bench {
namespace {

constexpr uint64_t kGapChunk = 256;

struct HogResult {
    uint64_t loops = 0;
    int64_t max_gap_ns = 0;
    ThreadStats stats;
};

// Every hog starts at the same moment (the `go` post), so none gets a head start.
void gap_hog(int nice, Handoff& go, const std::atomic<bool>& stop, HogResult& out) {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice);
    go.wait_past(0, stop);
    int64_t last = now_ns();
    int64_t max_gap = 0;
    uint64_t loops = 0;
    while (!stop.load(std::memory_order_relaxed)) {
        spin_loops(kGapChunk);
        loops += kGapChunk;
        const int64_t t = now_ns();
        max_gap = std::max(max_gap, t - last);
        last = t;
    }
    out.loops = loops;
    out.max_gap_ns = max_gap;
    out.stats = this_thread_stats(nice == 0 ? "equal-hog" : "nice-hog");
}

}  // namespace

int run_fairness(const Argv& argv) {
    auto parsed = Args::parse(argv, {});
    if (!parsed) return usage_error("fairness", parsed.error().message);
    Args& a = *parsed;
    auto duration = a.number("--duration", 3, 0.1, 3600);
    auto hogs = a.number("--hogs", static_cast<double>(std::thread::hardware_concurrency() + 1), 1, 256);
    for (const auto* r : {&duration, &hogs}) {
        if (!*r) return usage_error("fairness", r->error().message);
    }
    if (auto s = a.check_all_used(); !s) return usage_error("fairness", s.error().message);

    const auto equal = static_cast<size_t>(*hogs);
    std::vector<HogResult> results(equal + 1);
    std::atomic<bool> stop{false};
    Handoff go;
    int64_t t0 = 0;
    {
        std::vector<std::jthread> threads;
        for (size_t i = 0; i <= equal; ++i) {
            const int nice = i < equal ? 0 : 19;
            threads.emplace_back([&, i, nice] {
                name_this_thread("gs-fair-" + std::to_string(i));
                gap_hog(nice, go, stop, results[i]);
            });
        }
        t0 = now_ns();
        go.post();
        sleep_until_ns(t0 + static_cast<int64_t>(*duration * kNsPerS));
        stop.store(true);
    }
    const double elapsed_s = static_cast<double>(now_ns() - t0) / kNsPerS;

    std::vector<double> equal_cpu;
    double total_cpu = 0;
    int64_t max_gap = 0;
    nlohmann::json threads = nlohmann::json::array();
    for (size_t i = 0; i <= equal; ++i) {
        const auto& r = results[i];
        auto t = to_json(r.stats);
        t["loops"] = r.loops;
        t["max_gap_ms"] = static_cast<double>(r.max_gap_ns) / kNsPerMs;
        threads.push_back(t);
        total_cpu += r.stats.cpu_ms;
        if (i < equal) {
            equal_cpu.push_back(r.stats.cpu_ms);
            max_gap = std::max(max_gap, r.max_gap_ns);
        }
    }
    const HogResult& niced = results[equal];
    const auto jain = jain_index(equal_cpu);
    const nlohmann::json out = {{"bench", "fairness"},
                                {"duration_s", elapsed_s},
                                {"equal_hogs", equal},
                                {"jain_index", jain ? nlohmann::json(*jain) : nlohmann::json(nullptr)},
                                {"max_off_cpu_gap_ms", static_cast<double>(max_gap) / kNsPerMs},
                                {"nice19_loops", niced.loops},
                                {"nice19_cpu_share", total_cpu > 0 ? niced.stats.cpu_ms / total_cpu : 0.0},
                                {"nice19_max_gap_ms", static_cast<double>(niced.max_gap_ns) / kNsPerMs},
                                {"threads", threads}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
}

}  // namespace gamesched::bench
