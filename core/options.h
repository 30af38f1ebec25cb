// Command line of gamesched-core. scx tools' names where they exist (--stats, -V/--version).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/bpf_scheduler.h"
#include "core/config/core_config.h"
#include "util/result.h"

#ifndef GAMESCHED_DATADIR
#define GAMESCHED_DATADIR "/usr/share"
#endif

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
    // The shipped thread-name table (missing: a warning) and the administrator's overrides
    // (optional; empty when --thread-roles names a table).
    std::string thread_roles_file = GAMESCHED_DATADIR "/gamesched/thread-roles.json";
    std::string thread_roles_override = GAMESCHED_SYSCONFDIR "/gamesched/thread-roles.json";
    std::string config_path = kDefaultConfigPath;
    // Test builds only: make the BPF side raise an error after this many ms (error-ejection test).
    int test_error_after_ms = 0;
    // Test builds only: schedule as on a kernel without scx_bpf_dsq_peek (its dispatch path).
    bool test_without_peek = false;
};

enum class ParseOutcome { Run, ExitSuccess };

struct ParsedOptions {
    ParseOutcome outcome = ParseOutcome::Run;
    CoreOptions options;
};

// Prints --help/--version output itself; errors say which argument was wrong.
Result<ParsedOptions> parse_core_options(const std::vector<std::string>& args);

}  // namespace gamesched
