// One sched_ext scheduler: a loaded skeleton, then (after the core has written its state into the
// maps) its attached programs and struct_ops link. Destroying it detaches (the links close) and
// frees the BPF objects. To re-attach after the kernel ejected a scheduler, the core destroys
// this and loads a fresh one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "bpf/intf.h"
#include "core/topology.h"
#include "util/result.h"

namespace gamesched {

enum class SchedulerKind { Gamesched, BaselineFifo };

struct LoadOptions {
    SchedulerKind kind = SchedulerKind::Gamesched;
    Topology topology;
    bool input_in_kernel = true;       // false: skip the input_event program (userspace path)
    uint64_t test_error_after_ns = 0;  // test builds only: see gamesched_tick
    bool test_without_peek = false;    // test builds only: see gs_have_peek
};

// Map fds of the loaded scheduler; -1 where it has no such map (the FIFO baseline has only
// stats and exit events).
struct SchedulerMaps {
    int tunables = -1;
    int games = -1;
    int games_generation = -1;
    int focus = -1;
    int input_devices = -1;
    int input_state = -1;
    int game_threads = -1;
    int name_hints = -1;
    int wait_hist = -1;
    int proc_events = -1;
    int game_stats = -1;
    int background_runtime = -1;
    int desktop_procs = -1;
};

class BpfScheduler {
public:
    virtual ~BpfScheduler() = default;

    [[nodiscard]] virtual const char* ops_name() const = 0;
    // The record ops.exit fills; kind == 0 while attached.
    [[nodiscard]] virtual gs_exit_info exit_info() const = 0;
    // Ring buffer map that receives a record when ops.exit runs.
    [[nodiscard]] virtual int exit_events_fd() const = 0;
    [[nodiscard]] virtual int stats_fd() const = 0;
    // Valid from load on: the core writes games, tunables and hints here before attach().
    [[nodiscard]] virtual SchedulerMaps maps() const = 0;
    // Attaches the process-event tracepoints, the input hook (if loaded) and last the struct_ops:
    // from then on the kernel schedules with it.
    virtual Status attach() = 0;
    // Whether the in-kernel input program is attached (else the core feeds input_state itself).
    [[nodiscard]] virtual bool input_in_kernel() const = 0;
    // Closes the struct_ops link (the kernel switches every task back to the fair class and runs
    // ops.exit) and returns the exit record. The BPF objects stay readable until destruction.
    virtual gs_exit_info detach() = 0;
};

// Opens and loads (verifies) the BPF programs; nothing runs until attach().
Result<std::unique_ptr<BpfScheduler>> load_scheduler(const LoadOptions& options);

}  // namespace gamesched
