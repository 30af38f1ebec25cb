// Command line of gamesched-core. scx tools' names where they exist (--stats, -V/--version).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/bpf_scheduler.h"
#include "util/result.h"

namespace gamesched {

struct CoreOptions {
    bool verbose = false;
    double stats_interval_s = 0;  // 0 = no periodic stats line
    SchedulerKind scheduler = SchedulerKind::Gamesched;
    std::string runtime_dir = "/run/gamesched";
    bool serve_sockets = true;  // --no-sockets: scheduler only (benchmarks)
    std::string sched_ext_root = "/sys/kernel/sched_ext";
    bool input_in_kernel = true;  // --input-path userspace forces the libevdev fallback
    std::string input_dir = "/dev/input";
    std::vector<std::string> thread_role_files = {"/usr/share/gamesched/thread-roles.json",
                                                  "/etc/gamesched/thread-roles.json"};
    // Test builds only: make the BPF side raise an error after this many ms (error-ejection test).
    int test_error_after_ms = 0;
};

enum class ParseOutcome { Run, ExitSuccess };

struct ParsedOptions {
    ParseOutcome outcome = ParseOutcome::Run;
    CoreOptions options;
};

// Prints --help/--version output itself; errors say which argument was wrong.
Result<ParsedOptions> parse_core_options(const std::vector<std::string>& args);

}  // namespace gamesched
