// An in-memory SchedulerControl for the socket tests: it records every call and reports them in
// get_status, and queues a synthetic process event per added game so subscriptions can be
// tested without BPF.
#pragma once

#include "core/server/scheduler_control.h"

#include <deque>
#include <map>

namespace gamesched::test {

class RecordingScheduler final : public server::SchedulerControl {
public:
    Status add_game(pid_t tgid, uid_t owner, const server::GameInfo& info) override;
    Status remove_game(pid_t tgid) override;
    Status set_focus(pid_t tgid) override;
    Status add_desktop_process(pid_t tgid, uid_t owner, ipc::DesktopRole role) override;
    Status remove_desktop_process(pid_t tgid) override;
    Status set_tunables(const ipc::Tunables& tunables) override;
    Status set_mode(ipc::Mode mode) override;
    nlohmann::json status() override;
    Status stop_and_stay_off(const std::string& requested_by) override;

    // Events to publish once the server is outside its handlers.
    std::deque<ipc::ProcessEvent> pending_events;

private:
    void record(nlohmann::json call);

    std::deque<nlohmann::json> calls_;  // the latest kMaxCalls
    std::map<pid_t, nlohmann::json> games_;
    std::map<pid_t, std::string> desktop_;  // pid -> role
    pid_t focus_ = 0;
    ipc::Mode mode_ = ipc::Mode::auto_;
    nlohmann::json tunables_ = nlohmann::json::object();
};

}  // namespace gamesched::test
