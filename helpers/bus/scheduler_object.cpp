#include "helpers/bus/scheduler_object.h"

#include "helpers/bus/bus_errors.h"
#include "helpers/common/systemd_units.h"
#include "util/log.h"

#include <algorithm>
#include <fstream>
#include <memory>

namespace gamesched::bus {
namespace {

constexpr const char* kObjectPath = "/org/gamesched/Scheduler1";

template <typename T>
T expect(ipc::CallResult<T> result, bool about_processes = false) {
    if (!result) throw to_bus_error(result.error(), about_processes);
    return std::move(*result);
}

// The pid a pidfd refers to (its fdinfo "Pid:" line); -1 once the process has exited.
pid_t pid_of_pidfd(int fd) {
    std::ifstream info("/proc/self/fdinfo/" + std::to_string(fd));
    std::string line;
    while (std::getline(info, line)) {
        if (line.rfind("Pid:", 0) == 0) return static_cast<pid_t>(std::stol(line.substr(4)));
    }
    throw sdbus::Error(error_name::kInvalidArgs, "the file descriptor is not a pidfd (see pidfd_open(2))");
}

pid_t live_pid_of_pidfd(const sdbus::UnixFd& pidfd) {
    const pid_t pid = pid_of_pidfd(pidfd.get());
    if (pid <= 0)
        throw sdbus::Error(error_name::kNoSuchProcess, "the process behind the pidfd has already exited");
    return pid;
}

// The core withdraws only the caller's own games and answers "nothing removed" for the rest,
// another user's game included, as if there were none.
void withdraw(ipc::CoreClient& core, pid_t pid, uid_t uid) {
    if (!expect(core.unregister_game(pid, uid), true).removed) {
        throw sdbus::Error(error_name::kNotYours, "pid " + std::to_string(pid) +
                                                      " is not a game of yours (none is registered on it, or "
                                                      "it is another user's)");
    }
}

sdbus::Error denial(const Verdict& verdict, const std::string& action_id, uid_t uid) {
    std::string why = "polkit (org.freedesktop.PolicyKit1) did not authorise " + action_id + " for uid " +
                      std::to_string(uid);
    if (!verdict.dismissed.empty()) {
        why += ": the authentication dialog was dismissed";
    } else if (verdict.challenge) {
        why +=
            ": it needs authentication as an administrator, and no authentication agent of your session "
            "answered (call it from a desktop session, or through pkexec)";
    } else {
        why += "; an administrator may allow it with a polkit rule (see gamesched-bus(8))";
    }
    return sdbus::Error(error_name::kNotAuthorized, why);
}

}  // namespace

SchedulerObject::SchedulerObject(sdbus::IConnection& bus, BridgeOptions options)
    : AdaptorInterfaces(bus, kObjectPath),
      bus_(bus),
      options_(std::move(options)),
      authority_(bus),
      core_({.socket_path = options_.core_socket, .channel = ipc::Channel::control}),
      profiles_(options_.mlcollect_socket) {
    // Leases this bridge held before it restarted are taken over, stats flow from the start.
    core_.on_connect([](ipc::CoreClient& core) -> ipc::CallResult<Ok> {
        if (auto renewed = core.renew(); !renewed) return renewed.error();
        if (auto subscribed = core.subscribe({.stats = true}); !subscribed) return subscribed.error();
        return Ok{};
    });
    registerAdaptor();
    refresh();
}

SchedulerObject::~SchedulerObject() {
    unregisterAdaptor();
}

void SchedulerObject::authorized(const std::string& action, Reply&& reply, Act act) {
    const auto pending = std::make_shared<Reply>(std::move(reply));
    const sdbus::Message* message = getObject().getCurrentlyProcessedMessage();
    auto caller = identify_caller(bus_, message->getSender());
    if (!caller) {
        spdlog::warn("{}", caller.error().message);
        pending->returnError(sdbus::Error(error_name::kAuthorizationFailed, caller.error().message));
        return;
    }
    const std::string action_id = "org.gamesched.Scheduler1." + action;
    authority_.check(
        *caller, action_id, [this, pending, action_id, who = *caller, act](Result<Verdict> verdict) {
            try {
                if (!verdict) {
                    spdlog::warn("{} (uid {}, {})", verdict.error().message, who.uid, who.bus_name);
                    throw sdbus::Error(error_name::kAuthorizationFailed,
                                       verdict.error().message + "; see journalctl -u gamesched-bus");
                }
                if (!verdict->authorized) {
                    spdlog::info("polkit denied {} to uid {} ({})", action_id, who.uid, who.bus_name);
                    throw denial(*verdict, action_id, who.uid);
                }
                act(who);
                pending->returnResults();
            } catch (const sdbus::Error& e) {
                pending->returnError(e);
            }
        });
}

void SchedulerObject::SetMode(Reply&& reply, uint32_t mode) {
    if (mode >= ipc::kModeCount) {
        reply.returnError(sdbus::Error(error_name::kInvalidArgs,
                                       "mode must be 0..4 (Auto, Gaming, PowerSave, LowLatency, Server)"));
        return;
    }
    authorized("set-mode", std::move(reply), [this, mode](const Caller& caller) {
        expect(core_.set_mode(static_cast<ipc::Mode>(mode), caller.uid));
        refresh();
    });
}

void SchedulerObject::SetTunables(Reply&& reply, std::map<std::string, uint64_t> tunables) {
    ipc::Tunables wanted;
    for (const auto& entry : tunables) {
        const std::string& name = entry.first;  // not a structured binding: clang-tidy 14 cannot capture one
        const uint64_t value = entry.second;
        if (name == "preempt_enabled") {
            wanted.preempt_enabled = value != 0;
            continue;
        }
        const auto range = std::find_if(ipc::kTunableRanges.begin(), ipc::kTunableRanges.end(),
                                        [&name](const auto& r) { return r.name == name; });
        if (range == ipc::kTunableRanges.end()) {
            reply.returnError(sdbus::Error(error_name::kInvalidArgs,
                                           "unknown tunable \"" + name + "\"; see the Tunables property"));
            return;
        }
        wanted.*range->member = value;  // the core checks the range and says what is wrong
    }
    authorized("set-tunables", std::move(reply), [this, wanted](const Caller& caller) {
        expect(core_.set_tunables(wanted, caller.uid));
        refresh();
    });
}

void SchedulerObject::RegisterGame(Reply&& reply, int32_t pid) {
    authorized("register-game", std::move(reply), [this, pid](const Caller& caller) {
        expect(core_.register_game(pid, caller.uid), true);
        refresh();
    });
}

void SchedulerObject::UnregisterGame(Reply&& reply, int32_t pid) {
    authorized("register-game", std::move(reply), [this, pid](const Caller& caller) {
        withdraw(core_, pid, caller.uid);
        refresh();
    });
}

void SchedulerObject::RegisterGameByPIDFd(Reply&& reply, sdbus::UnixFd pidfd) {
    authorized("register-game", std::move(reply), [this, pidfd](const Caller& caller) {
        const pid_t pid = live_pid_of_pidfd(pidfd);
        expect(core_.register_game(pid, caller.uid), true);
        // The pidfd pins the process: if it exited while the core looked, the pid may name a
        // newcomer (of the same user, the core checked), so the registration is withdrawn.
        if (pid_of_pidfd(pidfd.get()) != pid) {
            (void)core_.unregister_game(pid, caller.uid);
            throw sdbus::Error(error_name::kNoSuchProcess,
                               "the process behind the pidfd exited while it was being registered");
        }
        refresh();
    });
}

void SchedulerObject::UnregisterGameByPIDFd(Reply&& reply, sdbus::UnixFd pidfd) {
    authorized("register-game", std::move(reply), [this, pidfd](const Caller& caller) {
        withdraw(core_, live_pid_of_pidfd(pidfd), caller.uid);
        refresh();
    });
}

std::string SchedulerObject::GetStats() {
    auto status = expect(core_.get_status());
    nlohmann::json out = ipc::reply_body(status);
    out["stats"] = latest_stats_;
    return out.dump();
}

void SchedulerObject::Stop(Reply&& reply) {
    authorized("stop-start", std::move(reply), [this](const Caller& caller) {
        spdlog::info("stopping the scheduler for uid {}", caller.uid);
        expect(core_.stop(caller.uid));
        core_.disconnect();
        view_.exit_reason = "stopped on request of uid " + std::to_string(caller.uid);
        refresh();
    });
}

void SchedulerObject::Start(Reply&& reply) {
    authorized("stop-start", std::move(reply), [this](const Caller& caller) {
        spdlog::info("starting {} for uid {}", options_.core_unit, caller.uid);
        if (auto started = start_unit(bus_, options_.core_unit); !started) {
            throw sdbus::Error(error_name::kCoreUnavailable, started.error().message);
        }
        refresh();
    });
}

void SchedulerObject::PinProfile(Reply&& reply, std::string game) {
    authorized("manage-profiles", std::move(reply), [this, game](const Caller& caller) {
        spdlog::info("pinning the profile of {} for uid {}", game, caller.uid);
        profiles_.set_pinned(game, true);
    });
}

void SchedulerObject::UnpinProfile(Reply&& reply, std::string game) {
    authorized("manage-profiles", std::move(reply), [this, game](const Caller& caller) {
        spdlog::info("unpinning the profile of {} for uid {}", game, caller.uid);
        profiles_.set_pinned(game, false);
    });
}

void SchedulerObject::ResetProfile(Reply&& reply, std::string game) {
    authorized("manage-profiles", std::move(reply), [this, game](const Caller& caller) {
        spdlog::info("resetting the profile of {} for uid {}", game, caller.uid);
        profiles_.reset(game);
    });
}

std::vector<sdbus::Struct<int32_t, uint32_t, std::string, std::string>> SchedulerObject::Games() {
    std::vector<sdbus::Struct<int32_t, uint32_t, std::string, std::string>> games;
    for (const auto& game : view_.games) games.emplace_back(game.pid, game.owner_uid, game.name, game.source);
    return games;
}

std::string SchedulerObject::Version() {
    return GAMESCHED_VERSION;
}

void SchedulerObject::refresh() {
    SchedulerView next = view_;
    read_sysfs(options_.sysfs_root, next);
    for (;;) {  // the stats pushed since the last refresh; only the latest matters
        auto push = core_.next_push(std::chrono::milliseconds{0});
        if (!push) break;
        if (auto* stats = std::get_if<ipc::StatsSample>(&*push)) latest_stats_ = stats->sample;
    }
    auto status = core_.get_status();
    next.core_reachable = status.ok();
    if (status) {
        read_core_status(*status, next);
    } else {
        next.games.clear();  // a stopped core holds no games
        next.focused_pid = 0;
    }
    const ViewChanges changes = compare(view_, next);
    view_ = std::move(next);
    for (const auto& game : changes.started) emitGameStarted(game.pid, game.name);
    for (const auto pid : changes.exited) emitGameExited(pid);
    if (changes.focus_changed) emitFocusChanged(view_.focused_pid);
    if (changes.state_changed)
        emitStateChanged(view_.state, view_.state == "enabled" ? "" : view_.exit_reason);
    if (!changes.properties.empty()) {
        getObject().emitPropertiesChangedSignal(INTERFACE_NAME, changes.properties);
    }
}

}  // namespace gamesched::bus
