// gamesched-core's lifecycle: attach, verify with the kernel, serve, and react when the kernel
// stops the scheduler (log why, re-attach when the reason allows).
#pragma once

#include <chrono>
#include <memory>

#include "core/bpf_scheduler.h"
#include "core/bpf_views.h"
#include "core/config/config_applier.h"
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
    // what to do. config is gamesched.conf as read at start; run() applies it before attaching.
    static Result<std::unique_ptr<Core>> create(const CoreOptions& options, const LoadedConfig& config);
    Core(const Core&) = delete;
    Core& operator=(const Core&) = delete;
    ~Core();

    // Returns the process exit status (core/exit_status.h).
    int run();

    // The one "stop and stay off" path, for SysRq-S and for stop requests: detaches, says in the
    // journal why the scheduler is off and how to start it again, and ends run() with
    // kExitStoppedByUser, on which gamesched.service also stops its socket units. Safe to call
    // from any event-loop callback (a request handler's reply is sent before the loop ends).
    // reason is a short word for GAMESCHED_STOP_REASON ("sysrq", "request").
    void stop_and_stay_off(const std::string& reason, const std::string& why);

private:
    Core(CoreOptions options, const LoadedConfig& config, EventLoop loop, Topology topology,
         UniqueFd signals);

    Status attach();
    Status wait_until_enabled();
    void detach();
    void on_scheduler_exit();
    void check_still_attached();
    void drain_process_events();
    void sample_stats();
    nlohmann::json live_status();
    void schedule_reattach(std::chrono::milliseconds delay);
    void give_up(const std::string& why);
    void release_scheduler();
    void on_proc_event(const gs_proc_event& ev);
    static int proc_event_thunk(void* ctx, void* data, size_t size);
    // systemd contract (core_systemd.cpp): signals, watchdog, configuration.
    Status apply_initial_config();
    void reload_config();
    void on_signal();
    Status start_watchdog();
    void load_thread_role_table();

    CoreOptions options_;
    LoadedConfig initial_config_;
    ConfigApplier config_;
    EventLoop loop_;
    Topology topology_;
    SchedExtSysfs sysfs_;
    UniqueFd signals_;
    ReattachPolicy policy_;
    SchedulerState state_;
    ExecClock execs_;
    ControlAdapter control_{state_, execs_, [this] { return live_status(); },
                            [this](const std::string& requested_by) {
                                stop_and_stay_off("request", "stopped on request of " + requested_by);
                            }};
    std::unique_ptr<server::Server> server_;
    std::unique_ptr<InputDevices> input_;
    // Declared last so they are released first: ring buffers, then the scheduler (detach).
    std::unique_ptr<BpfScheduler> scheduler_;
    RingBufferPtr exit_ring_;
    RingBufferPtr proc_ring_;
    WaitHistogram last_hist_{};
    std::chrono::steady_clock::time_point attached_at_{};
    Counters last_counters_{};
    GameUsage game_usage_;
    bool notified_ready_ = false;
    bool ejected_before_ = false;  // the next attach is a re-attach
    int exit_status_ = 0;
};

}  // namespace gamesched
