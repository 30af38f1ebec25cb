// The core's side of the socket server's SchedulerControl: verified hints and control commands
// become SchedulerState changes (which write the BPF maps); status reports what the kernel says.
#pragma once

#include <functional>

#include "core/exec_clock.h"
#include "core/scheduler_state.h"
#include "core/server/scheduler_control.h"

namespace gamesched {

class ControlAdapter final : public server::SchedulerControl {
public:
    // live_status supplies the kernel-side part of get_status (sched_ext state, counters);
    // stop is Core::stop_and_stay_off.
    ControlAdapter(SchedulerState& state, const ExecClock& execs, std::function<nlohmann::json()> live_status,
                   std::function<void(const std::string&)> stop)
        : state_(state), execs_(execs), live_status_(std::move(live_status)), stop_(std::move(stop)) {}

    Status add_game(pid_t tgid, uid_t owner, const server::GameInfo& info) override;
    Status remove_game(pid_t tgid) override { return state_.remove_game(tgid); }
    Status set_focus(pid_t tgid) override { return state_.set_focus(tgid); }
    Status add_desktop_process(pid_t tgid, uid_t owner, ipc::DesktopRole role) override {
        return state_.desktop().add(tgid, owner, static_cast<gs_desktop_role>(role));
    }
    Status remove_desktop_process(pid_t tgid) override { return state_.desktop().remove(tgid); }
    Status set_tunables(const ipc::Tunables& tunables) override { return state_.set_tunables(tunables); }
    Status set_mode(ipc::Mode mode) override { return state_.set_mode(mode); }
    nlohmann::json status() override;
    Status stop_and_stay_off(const std::string& requested_by) override;

private:
    SchedulerState& state_;
    const ExecClock& execs_;
    std::function<nlohmann::json()> live_status_;
    std::function<void(const std::string&)> stop_;
};

}  // namespace gamesched
