// What each benchmark thread reports about itself when it ends: identity, role, and the kernel's
// accounting of its CPU time and run-queue wait (read by the thread itself, after measuring).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace gamesched::bench {

struct ThreadStats {
    pid_t tid = 0;
    std::string name;
    std::string role;
    double cpu_ms = 0;        // schedstat field 1: time on a CPU
    double run_delay_ms = 0;  // schedstat field 2: time runnable but waiting for a CPU
    uint64_t timeslices = 0;  // schedstat field 3
    long voluntary_switches = 0;
    long involuntary_switches = 0;
};

// Sets the calling thread's comm (at most 15 characters are kept by the kernel).
void name_this_thread(const std::string& name);

// The calling thread's own numbers; call at the end of its work.
ThreadStats this_thread_stats(const std::string& role);

nlohmann::json to_json(const ThreadStats& stats);

}  // namespace gamesched::bench
