#include "tools/bench/thread_stats.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <fstream>

#include "tools/bench/clock.h"

namespace gamesched::bench {

void name_this_thread(const std::string& name) {
    prctl(PR_SET_NAME, name.c_str(), 0, 0, 0);
}

ThreadStats this_thread_stats(const std::string& role) {
    ThreadStats s;
    s.tid = gettid();
    s.role = role;
    std::array<char, 17> comm{};
    prctl(PR_GET_NAME, comm.data(), 0, 0, 0);
    s.name = comm.data();
    std::ifstream schedstat("/proc/self/task/" + std::to_string(s.tid) + "/schedstat");
    uint64_t on_cpu_ns = 0;
    uint64_t delay_ns = 0;
    if (schedstat >> on_cpu_ns >> delay_ns >> s.timeslices) {
        s.cpu_ms = static_cast<double>(on_cpu_ns) / kNsPerMs;
        s.run_delay_ms = static_cast<double>(delay_ns) / kNsPerMs;
    } else {
        // Without CONFIG_SCHED_INFO only the CPU time is available.
        s.cpu_ms = static_cast<double>(thread_cpu_ns()) / kNsPerMs;
    }
    rusage usage{};
    if (getrusage(RUSAGE_THREAD, &usage) == 0) {
        s.voluntary_switches = usage.ru_nvcsw;
        s.involuntary_switches = usage.ru_nivcsw;
    }
    return s;
}

nlohmann::json to_json(const ThreadStats& s) {
    return {{"tid", s.tid},
            {"name", s.name},
            {"role", s.role},
            {"cpu_ms", s.cpu_ms},
            {"run_delay_ms", s.run_delay_ms},
            {"timeslices", s.timeslices},
            {"voluntary_switches", s.voluntary_switches},
            {"involuntary_switches", s.involuntary_switches}};
}

}  // namespace gamesched::bench
