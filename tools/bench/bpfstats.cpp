// `gamesched-bench bpfstats`: the kernel's run-time statistics of loaded BPF programs over a
// window (ns per call, calls per second, share of CPU). Statistics are switched on through a
// BPF_ENABLE_STATS fd, so they switch off again when this process ends, however it ends.
//
// --windows N splits a timed window into N equal parts (with --until-signal, each SIGUSR2 closes
// a part) and reports each part's share and their median beside the whole: under qemu's icount a vCPU that
// loses its turn inside a program charges that one call with the other vCPU's whole turn (about a
// millisecond), which decides a whole window's share; it decides one part's only, and the median leaves it
// out.
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/bench/args.h"
#include "tools/bench/clock.h"
#include "tools/bench/commands.h"
#include "tools/bench/stats.h"
#include "util/unique_fd.h"

namespace gamesched::bench {
namespace {

struct ProgSample {
    std::string name;
    bpf_prog_type type = BPF_PROG_TYPE_UNSPEC;
    uint64_t run_time_ns = 0;
    uint64_t run_cnt = 0;
    uint64_t recursion_misses = 0;
    uint32_t verified_insns = 0;
};

// The program's full name: the kernel keeps only 15 characters in bpf_prog_info.name
// ("gamesched_exit_" is both exit_task and the exit tracepoint); the BTF of its first function
// has all of it.
std::string full_name(int fd, const bpf_prog_info& brief) {
    std::string fallback = brief.name;
    if (brief.btf_id == 0 || brief.nr_func_info == 0) return fallback;
    bpf_func_info first{};
    bpf_prog_info info{};
    info.nr_func_info = 1;
    info.func_info_rec_size = sizeof first;
    info.func_info = reinterpret_cast<uint64_t>(&first);
    uint32_t len = sizeof info;
    if (bpf_prog_get_info_by_fd(fd, &info, &len) != 0) return fallback;
    btf* types = btf__load_from_kernel_by_id(brief.btf_id);
    if (!types) return fallback;
    const btf_type* func = btf__type_by_id(types, first.type_id);
    const char* name = func ? btf__name_by_offset(types, func->name_off) : nullptr;
    std::string out = name && *name ? name : fallback;
    btf__free(types);
    return out;
}

// `names` caches full names by id, so that only the first sample (before the window) pays for
// reading BTF.
std::map<uint32_t, ProgSample> sample_programs(std::map<uint32_t, std::string>& names) {
    std::map<uint32_t, ProgSample> out;
    uint32_t id = 0;
    while (bpf_prog_get_next_id(id, &id) == 0) {
        UniqueFd fd(bpf_prog_get_fd_by_id(id));
        if (!fd) continue;  // unloaded meanwhile
        bpf_prog_info info{};
        uint32_t len = sizeof info;
        if (bpf_prog_get_info_by_fd(fd.get(), &info, &len) != 0) continue;
        if (!names.count(id)) names[id] = full_name(fd.get(), info);
        out[id] = {names[id],
                   static_cast<bpf_prog_type>(info.type),
                   info.run_time_ns,
                   info.run_cnt,
                   info.recursion_misses,
                   info.verified_insns};
    }
    return out;
}

using Sample = std::map<uint32_t, ProgSample>;

// One part of a --windows run: the run time of every program at the part's end (one loaded
// inside the part counts from its load).
struct Part {
    double duration_s = 0;
    uint64_t run_time_ns = 0;
};

Part part_between(const Sample& from, const Sample& to, double duration_s, bool all) {
    Part part{duration_s, 0};
    for (const auto& [id, now] : to) {
        if (!all && now.type != BPF_PROG_TYPE_STRUCT_OPS) continue;
        auto it = from.find(id);
        part.run_time_ns += now.run_time_ns - (it == from.end() ? 0 : it->second.run_time_ns);
    }
    return part;
}

// Each part's share and their median (--windows).
void add_parts(nlohmann::json& out, const std::vector<Part>& parts, unsigned cpus) {
    nlohmann::json list = nlohmann::json::array();
    std::vector<double> shares;
    for (const Part& part : parts) {
        const double share = part.duration_s > 0
                                 ? static_cast<double>(part.run_time_ns) / (part.duration_s * kNsPerS * cpus)
                                 : 0;
        shares.push_back(share);
        list.push_back(
            {{"duration_s", part.duration_s}, {"run_time_ns", part.run_time_ns}, {"bpf_cpu_share", share}});
    }
    out["windows"] = list;
    out["bpf_cpu_share_window_median"] = median(shares).value_or(0);
}

const char* type_name(bpf_prog_type type) {
    const char* name = libbpf_bpf_prog_type_str(type);
    return name ? name : "unknown";
}

}  // namespace

int run_bpfstats(const Argv& argv) {
    auto parsed = Args::parse(argv, {"--all", "--until-signal"});
    if (!parsed) return usage_error("bpfstats", parsed.error().message);
    Args& a = *parsed;
    auto duration = a.number("--duration", 2, 0.1, 3600);
    if (!duration) return usage_error("bpfstats", duration.error().message);
    const bool all = a.flag("--all");
    const bool until_signal = a.flag("--until-signal");
    auto windows = a.number("--windows", 1, 1, 100);
    if (!windows) return usage_error("bpfstats", windows.error().message);
    const auto parts = static_cast<int>(*windows);
    if (until_signal && parts > 1)
        return usage_error("bpfstats", "--windows needs a timed window: drop --until-signal or --windows");
    if (auto s = a.check_all_used(); !s) return usage_error("bpfstats", s.error().message);

    UniqueFd stats(bpf_enable_stats(BPF_STATS_RUN_TIME));
    if (!stats)
        return usage_error("bpfstats", "BPF_ENABLE_STATS failed (needs root and kernel >= 5.8): " +
                                           std::string(strerror(errno)));
    // --until-signal: the window ends at SIGUSR1 (or SIGTERM), at the latest after --duration;
    // SIGUSR2 closes a part of it. The signals are blocked before the first sample, so one sent
    // right after "ready" is not lost.
    sigset_t waits;
    sigemptyset(&waits);
    sigaddset(&waits, SIGUSR1);
    sigaddset(&waits, SIGUSR2);
    sigaddset(&waits, SIGTERM);
    if (until_signal) sigprocmask(SIG_BLOCK, &waits, nullptr);
    std::map<uint32_t, std::string> names;
    const auto before = sample_programs(names);
    const int64_t t0 = now_ns();
    const int64_t end = t0 + static_cast<int64_t>(*duration * kNsPerS);
    std::vector<Part> part_list;
    Sample after = before;
    int64_t part_start = t0;
    const auto close_part = [&] {
        Sample to = sample_programs(names);
        const int64_t part_end = now_ns();
        part_list.push_back(
            part_between(after, to, static_cast<double>(part_end - part_start) / kNsPerS, all));
        after = std::move(to);
        part_start = part_end;
    };
    if (until_signal) {
        // The caller starts its fixed amount of work once it reads this, and signals at its end.
        (void)std::fprintf(stderr, "{\"event\":\"ready\",\"pid\":%d}\n", getpid());
        for (int64_t left = end - now_ns(); left > 0; left = end - now_ns()) {
            const timespec limit = to_timespec(left);
            const int sig = sigtimedwait(&waits, nullptr, &limit);
            if (sig < 0 && errno == EINTR) continue;
            if (sig != SIGUSR2) break;  // the end, or the time ran out
            close_part();
        }
        close_part();
    } else {
        for (int i = 1; i <= parts; ++i) {
            sleep_until_ns(t0 + (end - t0) * i / parts);
            close_part();
        }
    }
    const double elapsed_s = static_cast<double>(now_ns() - t0) / kNsPerS;

    nlohmann::json programs = nlohmann::json::array();
    uint64_t total_ns = 0;
    for (const auto& [id, now] : after) {
        if (!all && now.type != BPF_PROG_TYPE_STRUCT_OPS) continue;
        auto it = before.find(id);
        const uint64_t cnt = now.run_cnt - (it == before.end() ? 0 : it->second.run_cnt);
        const uint64_t ns = now.run_time_ns - (it == before.end() ? 0 : it->second.run_time_ns);
        total_ns += ns;
        programs.push_back(
            {{"id", id},
             {"name", now.name},
             {"type", type_name(now.type)},
             {"run_cnt", cnt},
             {"run_time_ns", ns},
             {"ns_per_call", cnt ? nlohmann::json(static_cast<double>(ns) / static_cast<double>(cnt))
                                 : nlohmann::json(nullptr)},
             {"calls_per_s", static_cast<double>(cnt) / elapsed_s},
             {"recursion_misses", now.recursion_misses},
             {"verified_insns", now.verified_insns}});
    }
    const unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
    nlohmann::json out = {{"bench", "bpfstats"},
                          {"duration_s", elapsed_s},
                          {"cpus", cpus},
                          {"programs", programs},
                          {"total_run_time_ns", total_ns},
                          {"bpf_cpu_share", static_cast<double>(total_ns) / (elapsed_s * kNsPerS * cpus)}};
    if (part_list.size() > 1) add_parts(out, part_list, cpus);
    std::printf("%s\n", out.dump().c_str());
    return 0;
}

}  // namespace gamesched::bench
