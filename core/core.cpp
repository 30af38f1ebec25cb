#include "core/core.h"

#include <bpf/bpf.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/exit_status.h"
#include "util/journal.h"
#include "util/log_rate_limit.h"
#include "util/message_ids.h"

namespace gamesched {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// The record only wakes the loop; the exit details are read from the skeleton's exit_info.
int on_exit_record(void* /*ctx*/, void* /*data*/, size_t /*size*/) {
    return 0;
}

}  // namespace

Result<std::unique_ptr<Core>> Core::create(const CoreOptions& options, const LoadedConfig& config) {
    SchedExtSysfs sysfs(options.sched_ext_root);
    if (auto st = sysfs.check_can_attach(); !st) return st.error();
    auto topology = read_topology();
    if (!topology) return topology.error().context("reading the CPU topology");
    auto loop = EventLoop::create();
    if (!loop) return loop.error();
    auto signals = control_signalfd();
    if (!signals) return signals.error();
    return std::unique_ptr<Core>(
        new Core(options, config, std::move(*loop), std::move(*topology), std::move(*signals)));
}

Core::Core(CoreOptions options, const LoadedConfig& config, EventLoop loop, Topology topology,
           UniqueFd signals)
    : options_(std::move(options)),
      initial_config_(config),
      loop_(std::move(loop)),
      topology_(std::move(topology)),
      sysfs_(options_.sched_ext_root),
      signals_(std::move(signals)) {}

Core::~Core() {
    detach();
}

int Core::proc_event_thunk(void* ctx, void* data, size_t size) {
    if (size >= sizeof(gs_proc_event)) {
        gs_proc_event ev{};
        std::memcpy(&ev, data, sizeof ev);
        static_cast<Core*>(ctx)->on_proc_event(ev);
    }
    return 0;
}

void Core::on_proc_event(const gs_proc_event& ev) {
    auto pid = static_cast<pid_t>(ev.pid);
    if (ev.kind == GS_PROC_EXEC) execs_.note_exec(pid, ev.ts_ns);
    if (ev.kind == GS_PROC_EXEC && (ev.flags & GS_PROC_SECURE_EXEC) != 0) {
        // The exec program already dropped it from the maps; the leases go too, at once.
        if (state_.forget_game(pid, ev.ts_ns)) {
            spdlog::info(
                "game pid {} executed a set-uid/set-gid or file-capability program; no longer a game", pid);
        }
        state_.desktop().forget(pid, ev.ts_ns);
        if (server_) {
            server_->end_leases_on(pid, server::Clock::time_point(std::chrono::nanoseconds(ev.ts_ns)),
                                   "it executed a set-uid/set-gid or file-capability program");
        }
    }
    if (ev.kind == GS_PROC_EXIT) {
        execs_.forget(pid);
        // Only a game registered before this exit: a late event must not erase the lease of a
        // new process that reused the pid meanwhile. The server's lease ends too and says so
        // (MESSAGE_ID "game left").
        if (state_.forget_game(pid, ev.ts_ns)) {
            spdlog::debug("game pid {} exited; the kernel's exit tracepoint removed it from the game map",
                          pid);
        }
        state_.desktop().forget(pid, ev.ts_ns);
    }
    if (!server_) return;
    ipc::ProcessEvent out;
    out.kind = ev.kind == GS_PROC_EXIT ? ipc::ProcessEventKind::exit : ipc::ProcessEventKind::exec;
    out.pid = static_cast<ipc::Pid>(ev.pid);
    out.ppid = static_cast<ipc::Pid>(ev.ppid);
    out.uid = ev.uid;
    out.comm.assign(ev.comm, strnlen(ev.comm, sizeof ev.comm));
    out.ts_ns = ev.ts_ns;
    server_->publish_process_event(out);
}

// Drops the ring buffers and the scheduler objects; the state stays for the next attach.
void Core::release_scheduler() {
    for (auto* ring : {&exit_ring_, &proc_ring_}) {
        if (*ring) {
            loop_.remove(ring_buffer__epoll_fd(ring->get()));
            ring->reset();
        }
    }
    (void)state_.bind(std::nullopt);
    if (input_) input_->set_userspace_path(-1);
    scheduler_.reset();
}

Status Core::wait_until_enabled() {
    // Attach returns once the kernel accepted the ops; the switch of all tasks finishes shortly
    // after. Readiness is what sysfs says, not what we believe.
    auto deadline = std::chrono::steady_clock::now() + seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        auto st = sysfs_.read();
        if (st && st->state == "enabled" && st->ops == scheduler_->ops_name()) return Ok{};
        if (scheduler_->exit_info().kind != 0) break;
        sd_notify(0, "WATCHDOG=1");  // waiting on the kernel is progress, not a hang
        std::this_thread::sleep_for(milliseconds(20));
    }
    auto st = sysfs_.read();
    return Error{EIO, "the kernel did not enable '" + std::string(scheduler_->ops_name()) +
                          "' (state=" + (st ? st->state : "?") + ", ops=" + (st ? st->ops : "?") + ")"};
}

Status Core::attach() {
    LoadOptions opts{options_.scheduler, topology_, options_.input_in_kernel,
                     static_cast<uint64_t>(options_.test_error_after_ms) * 1000000ULL,
                     options_.test_without_peek};
    auto started = std::chrono::steady_clock::now();
    auto loaded = load_scheduler(opts);
    if (!loaded) return loaded.error();
    scheduler_ = std::move(*loaded);

    // Games, focus, tunables and hints go into the maps before the scheduler runs: it never
    // schedules a registered game as an unknown process, nor with anything but our tunables.
    auto maps = scheduler_->maps();
    if (auto st = state_.bind(maps); !st) return st.error().context("writing the scheduler's state");

    exit_ring_.reset(ring_buffer__new(scheduler_->exit_events_fd(), on_exit_record, nullptr, nullptr));
    if (!exit_ring_) return Error::from_errno("creating the exit ring buffer");
    int ring_fd = ring_buffer__epoll_fd(exit_ring_.get());
    if (auto st = loop_.add(ring_fd,
                            [this] {
                                ring_buffer__consume(exit_ring_.get());
                                on_scheduler_exit();
                            });
        !st) {
        return st;
    }
    if (maps.proc_events >= 0) {
        proc_ring_.reset(ring_buffer__new(maps.proc_events, proc_event_thunk, this, nullptr));
        if (!proc_ring_) return Error::from_errno("creating the process event ring buffer");
        if (auto st = loop_.add(ring_buffer__epoll_fd(proc_ring_.get()),
                                [this] { ring_buffer__consume(proc_ring_.get()); });
            !st) {
            return st;
        }
    }
    if (auto st = scheduler_->attach(); !st) return st;
    if (input_ && maps.input_state >= 0) {
        input_->set_userspace_path(scheduler_->input_in_kernel() ? -1 : maps.input_state);
        spdlog::info("input boost: {} path, {} devices",
                     scheduler_->input_in_kernel() ? "in-kernel" : "userspace", input_->device_count());
    }
    if (auto st = wait_until_enabled(); !st) return st;
    attached_at_ = std::chrono::steady_clock::now();
    if (maps.wait_hist >= 0) {
        if (auto h = read_wait_histogram(maps.wait_hist)) last_hist_ = *h;
    }
    auto ms = std::chrono::duration_cast<milliseconds>(attached_at_ - started).count();
    if (auto c = read_counters(scheduler_->stats_fd())) last_counters_ = *c;
    log_event(spdlog::level::info, ejected_before_ ? message_id::kReattached : message_id::kAttached,
              fmt::format("scheduler '{}' {}attached and enabled in {} ms", scheduler_->ops_name(),
                          ejected_before_ ? "re-" : "", ms),
              {{"GAMESCHED_OPS", scheduler_->ops_name()},
               {"GAMESCHED_STATE", "enabled"},
               {"GAMESCHED_ATTACH_MS", std::to_string(ms)}});
    if (!notified_ready_) {
        sd_notify(0, "READY=1\nSTATUS=scheduler attached");
        notified_ready_ = true;
    } else {
        sd_notify(0, "STATUS=scheduler re-attached");
    }
    return Ok{};
}

void Core::detach() {
    if (!scheduler_) return;
    gs_exit_info info = scheduler_->detach();
    if (info.kind != 0) {
        std::string reason(info.reason, strnlen(info.reason, sizeof info.reason));
        std::string kind = exit_kind_name(info.kind);
        log_event(spdlog::level::info, message_id::kDetached,
                  fmt::format("scheduler detached: {}{}", kind, reason == kind ? "" : " (" + reason + ")"),
                  {{"GAMESCHED_EXIT_KIND", std::to_string(info.kind)},
                   {"GAMESCHED_EXIT_REASON", reason},
                   {"GAMESCHED_STATE", "disabled"}});
    }
    release_scheduler();
}

void Core::on_scheduler_exit() {
    if (!scheduler_) return;
    gs_exit_info info = scheduler_->exit_info();
    if (info.kind == 0) return;  // not complete yet; the record's kind is written last
    auto attached_for = std::chrono::duration_cast<seconds>(std::chrono::steady_clock::now() - attached_at_);
    release_scheduler();  // the kernel already disabled it; this closes the link and frees it

    auto decision = policy_.decide(info.kind, info.exit_code, attached_for);
    std::string reason(info.reason, strnlen(info.reason, sizeof info.reason));
    std::string msg(info.msg, strnlen(info.msg, sizeof info.msg));
    log_event(spdlog::level::warn, message_id::kEjected,
              fmt::format("the kernel stopped the scheduler: {} ({}){}{} -> {}", exit_kind_name(info.kind),
                          reason, msg.empty() ? "" : ": ", msg, decision.why),
              {{"GAMESCHED_EXIT_KIND", std::to_string(info.kind)},
               {"GAMESCHED_EXIT_KIND_NAME", exit_kind_name(info.kind)},
               {"GAMESCHED_EXIT_REASON", reason},
               {"GAMESCHED_EXIT_MESSAGE", msg},
               {"GAMESCHED_EXIT_CODE", fmt::format("{:#x}", static_cast<uint64_t>(info.exit_code))},
               {"GAMESCHED_STATE", "disabled"}});
    ejected_before_ = true;
    switch (decision.action) {
        case ExitAction::Stop:
            loop_.stop();
            break;
        case ExitAction::StayOff:
            stop_and_stay_off("sysrq", decision.why);
            break;
        case ExitAction::GiveUp:
            give_up(decision.why);
            break;
        case ExitAction::ReattachNow:
        case ExitAction::ReattachBackoff:
            schedule_reattach(decision.delay);
            break;
    }
}

void Core::schedule_reattach(milliseconds delay) {
    sd_notify(0, "STATUS=scheduler ejected, re-attaching");
    auto st = loop_.add_oneshot(delay, [this] {
        if (auto r = attach(); !r) {
            release_scheduler();
            log_event(spdlog::level::err, message_id::kAttachFailed,
                      "re-attach failed: " + r.error().message);
            auto decision = policy_.decide(1024, 0, seconds(0));
            if (decision.action == ExitAction::GiveUp) {
                give_up(decision.why);
            } else {
                schedule_reattach(decision.delay);
            }
        }
    });
    if (!st) give_up("cannot schedule a re-attach: " + st.error().message);
}

void Core::give_up(const std::string& why) {
    log_event(spdlog::level::err, message_id::kGaveUp,
              "giving up: " + why + "; the system stays on the fair class (exit status 1)",
              {{"GAMESCHED_STATE", "disabled"}});
    exit_status_ = kExitFailed;
    loop_.stop();
}

// Exits of processes that are not games are submitted without waking us (one wakeup per spawn,
// not two); they arrive with the next exec event or here.
void Core::drain_process_events() {
    if (proc_ring_) ring_buffer__consume(proc_ring_.get());
}

// The ring buffer normally tells us; this catches an exit whose record we did not see.
void Core::check_still_attached() {
    if (!scheduler_) return;
    if (scheduler_->exit_info().kind != 0) on_scheduler_exit();
}

int Core::run() {
    load_thread_role_table();
    if (auto st = apply_initial_config(); !st) return kExitConfigInvalid;
    if (options_.serve_sockets) {
        server::ServerConfig config;
        config.runtime_dir = options_.runtime_dir;
        auto server = server::Server::create(config, control_);
        if (!server) {
            log_event(spdlog::level::err, message_id::kAttachFailed,
                      "cannot serve the sockets: " + server.error().message);
            return kExitFailed;
        }
        server_ = std::move(*server);
        if (auto st = loop_.add(server_->poll_fd(), [this] { server_->dispatch(); }); !st) return kExitFailed;
    }
    if (options_.scheduler == SchedulerKind::Gamesched) {
        auto input = InputDevices::create(loop_, state_, options_.input_dir);
        if (input) {
            input_ = std::move(*input);
        } else {
            spdlog::warn("input devices unavailable ({}); no input boost", input.error().message);
        }
    }
    if (auto st = attach(); !st) {
        release_scheduler();
        log_event(spdlog::level::err, message_id::kAttachFailed,
                  "cannot attach the scheduler: " + st.error().message);
        return kExitFailed;
    }
    auto on_signal = loop_.add(signals_.get(), [this] { this->on_signal(); });
    auto health = loop_.add_timer(milliseconds(500), [this] {
        drain_process_events();
        check_still_attached();
    });
    // A flood that stopped still gets its "N similar messages suppressed" line.
    auto log_summaries = loop_.add_timer(seconds(5), [] { report_suppressed_logs(); });
    if (!on_signal || !health || !log_summaries || !start_watchdog()) {
        spdlog::error("cannot set up the event loop");
        return kExitFailed;
    }
    if (options_.stats_interval_s > 0 || server_) {
        auto seconds_per_sample = options_.stats_interval_s > 0 ? options_.stats_interval_s : 1.0;
        auto period = milliseconds(static_cast<long>(seconds_per_sample * 1000));
        if (auto t = loop_.add_timer(period, [this] { sample_stats(); }); !t) {
            spdlog::error("cannot start the stats timer: {}", t.error().message);
        }
    }
    if (auto st = loop_.run(); !st) {
        spdlog::error("event loop failed: {}", st.error().message);
        exit_status_ = kExitFailed;
    }
    bool was_attached = scheduler_ != nullptr;
    detach();
    if (was_attached) {
        auto st = sysfs_.read();
        spdlog::info("detached; sched_ext state is now {}", st ? st->state : "unknown");
    }
    report_suppressed_logs(true);
    return exit_status_;
}

}  // namespace gamesched
