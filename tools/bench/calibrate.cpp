// `gamesched-bench calibrate`: loops per microsecond on an idle CPU, measured once per boot and
// passed to every run (--loops-per-us) so that all schedulers get the same amount of work.
// With --pacer-ms it also spins one thread per CPU for that long: comparing that reading across
// blocks shows host-speed drift, which an emulated guest cannot otherwise see.
#include <sched.h>
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

namespace gamesched::bench {
namespace {

constexpr uint64_t kPacerChunk = 4096;

double pacer_loops_per_ms(double ms) {
    const unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
    std::vector<uint64_t> loops(cpus, 0);
    std::atomic<bool> stop{false};
    const int64_t t0 = now_ns();
    {
        std::vector<std::jthread> threads;
        for (unsigned i = 0; i < cpus; ++i) {
            threads.emplace_back([&, i] {
                // Pinned: the reading is the CPUs' speed, not how the scheduler placed the spinners.
                cpu_set_t one;
                CPU_ZERO(&one);
                CPU_SET(i, &one);
                sched_setaffinity(0, sizeof one, &one);
                uint64_t done = 0;
                while (!stop.load(std::memory_order_relaxed)) {
                    spin_loops(kPacerChunk);
                    done += kPacerChunk;
                }
                loops[i] = done;
            });
        }
        sleep_until_ns(t0 + static_cast<int64_t>(ms * kNsPerMs));
        stop.store(true);
    }
    const double elapsed_ms = static_cast<double>(now_ns() - t0) / kNsPerMs;
    uint64_t total = 0;
    for (auto l : loops) total += l;
    return static_cast<double>(total) / elapsed_ms / cpus;
}

}  // namespace

int run_calibrate(const Argv& argv) {
    auto parsed = Args::parse(argv, {});
    if (!parsed) return usage_error("calibrate", parsed.error().message);
    Args& a = *parsed;
    auto trials = a.number("--trials", 9, 1, 99);
    auto pacer_ms = a.number("--pacer-ms", 0, 0, 60000);
    for (const auto* r : {&trials, &pacer_ms}) {
        if (!*r) return usage_error("calibrate", r->error().message);
    }
    if (auto s = a.check_all_used(); !s) return usage_error("calibrate", s.error().message);
    nlohmann::json out = {{"bench", "calibrate"},
                          {"loops_per_us", calibrate_loops_per_us(static_cast<int>(*trials))}};
    if (*pacer_ms > 0) out["pacer_loops_per_ms_per_cpu"] = pacer_loops_per_ms(*pacer_ms);
    std::printf("%s\n", out.dump().c_str());
    return 0;
}

}  // namespace gamesched::bench
