// org.gamesched.Scheduler1 at /org/gamesched/Scheduler1: the adaptor generated from the XML,
// implemented as a thin bridge. Each mutating method: who is calling (the bus), may they
// (polkit, asked asynchronously), then one CoreClient call on the caller's behalf and its reply
// or a D-Bus error naming why not (bus_errors.h).
#pragma once

#include "helpers/bus/bus_peers.h"
#include "helpers/bus/profile_requests.h"
#include "helpers/bus/scheduler_view.h"
#include "ipc/core_client.h"

#include "org.gamesched.Scheduler1_adaptor.h"

#include <sdbus-c++/sdbus-c++.h>

#include <functional>
#include <string>

namespace gamesched::bus {

struct BridgeOptions {
    std::string core_socket = "/run/gamesched/control.sock";
    std::string sysfs_root = "/sys/kernel/sched_ext";
    std::string core_unit = "gamesched.service";
    std::string mlcollect_socket = "/run/gamesched/mlcollect.sock";
};

class SchedulerObject final : public sdbus::AdaptorInterfaces<org::gamesched::Scheduler1_adaptor> {
public:
    SchedulerObject(sdbus::IConnection& bus, BridgeOptions options);
    ~SchedulerObject();
    SchedulerObject(const SchedulerObject&) = delete;
    SchedulerObject& operator=(const SchedulerObject&) = delete;

    // Reads the core and sysfs again; emits the signals and PropertiesChanged the difference
    // means. Called by the main loop's timer and after every change the bridge made.
    void refresh();

private:
    using Reply = sdbus::Result<>;
    // Runs act for the current caller once polkit authorised action; act throws sdbus::Error to
    // refuse. The reply (or the error) is sent when act returns.
    using Act = std::function<void(const Caller&)>;
    void authorized(const std::string& action, Reply&& reply, Act act);

    void SetMode(Reply&& reply, uint32_t mode) override;
    void SetTunables(Reply&& reply, std::map<std::string, uint64_t> tunables) override;
    void RegisterGame(Reply&& reply, int32_t pid) override;
    void UnregisterGame(Reply&& reply, int32_t pid) override;
    void RegisterGameByPIDFd(Reply&& reply, sdbus::UnixFd pidfd) override;
    void UnregisterGameByPIDFd(Reply&& reply, sdbus::UnixFd pidfd) override;
    std::string GetStats() override;
    void Stop(Reply&& reply) override;
    void Start(Reply&& reply) override;
    std::string ListProfiles() override { return profiles_.list(); }
    std::string GetProfile(const std::string& game) override { return profiles_.show(game); }
    void PinProfile(Reply&& reply, std::string game) override;
    void UnpinProfile(Reply&& reply, std::string game) override;
    void ResetProfile(Reply&& reply, std::string game) override;

    std::string State() override { return view_.state; }
    std::string Ops() override { return view_.ops; }
    uint32_t Mode() override { return view_.mode; }
    std::map<std::string, uint64_t> Tunables() override { return view_.tunables; }
    std::vector<sdbus::Struct<int32_t, uint32_t, std::string, std::string>> Games() override;
    int32_t FocusedPid() override { return view_.focused_pid; }
    std::string Version() override;

    sdbus::IConnection& bus_;
    BridgeOptions options_;
    Authority authority_;
    ipc::CoreClient core_;
    ProfileRequests profiles_;
    SchedulerView view_;
    nlohmann::json latest_stats_ = nlohmann::json::object();
};

}  // namespace gamesched::bus
