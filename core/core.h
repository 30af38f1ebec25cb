// gamesched-core's lifecycle: attach, verify with the kernel, serve, and react when the kernel
// stops the scheduler (log why, re-attach when the reason allows).
#pragma once

#include <chrono>
#include <memory>

#include "core/bpf_scheduler.h"
#include "core/bpf_views.h"
#include "core/control_adapter.h"
#include "core/event_loop.h"
#include "core/exit_policy.h"
#include "core/game_usage.h"
#include "core/input_devices.h"
#include "core/libbpf_owners.h"
#include "core/options.h"
#include "core/sched_ext_sysfs.h"
#include "core/scheduler_state.h"
#include "core/server/server.h"
#include "core/stats_reader.h"

namespace gamesched {

class Core {
public:
    // Start-up failures (no sched_ext, another scheduler attached) come back as errors that say
    // what to do.
    static Result<std::unique_ptr<Core>> create(const CoreOptions& options);
    Core(const Core&) = delete;
    Core& operator=(const Core&) = delete;
    ~Core();

    // Returns the process exit status.
    int run();

private:
    Core(CoreOptions options, EventLoop loop, Topology topology, UniqueFd signals);

    Status attach();
    Status wait_until_enabled();
    void detach();
    void on_scheduler_exit();
    void check_still_attached();
    void sample_stats();
    nlohmann::json live_status();
    void schedule_reattach(std::chrono::milliseconds delay);
    void release_scheduler();
    void on_proc_event(const gs_proc_event& ev);
    static int proc_event_thunk(void* ctx, void* data, size_t size);

    CoreOptions options_;
    EventLoop loop_;
    Topology topology_;
    SchedExtSysfs sysfs_;
    UniqueFd signals_;
    ReattachPolicy policy_;
    SchedulerState state_;
    ExecClock execs_;
    ControlAdapter control_{state_, execs_, [this] { return live_status(); }};
    std::unique_ptr<server::Server> server_;
    std::unique_ptr<InputDevices> input_;
    // Declared last so they are released first: ring buffers, then the scheduler (detach).
    std::unique_ptr<AttachedScheduler> scheduler_;
    RingBufferPtr exit_ring_;
    RingBufferPtr proc_ring_;
    WaitHistogram last_hist_{};
    std::chrono::steady_clock::time_point attached_at_{};
    Counters last_counters_{};
    GameUsage game_usage_;
    bool notified_ready_ = false;
    int exit_status_ = 0;
};

}  // namespace gamesched
