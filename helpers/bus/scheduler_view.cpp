#include "helpers/bus/scheduler_view.h"

#include "ipc/reply_codec.h"

#include <algorithm>
#include <fstream>

namespace gamesched::bus {
namespace {

std::string first_line(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

bool has_pid(const std::vector<GameEntry>& games, std::int32_t pid) {
    return std::any_of(games.begin(), games.end(), [pid](const GameEntry& g) { return g.pid == pid; });
}

}  // namespace

void read_sysfs(const std::string& sysfs_root, SchedulerView& view) {
    view.state = first_line(sysfs_root + "/state");
    if (view.state.empty()) view.state = "unsupported";  // no sched_ext in this kernel
    view.ops = first_line(sysfs_root + "/root/ops");
}

void read_core_status(const ipc::CoreStatus& status, SchedulerView& view) {
    view.games.clear();
    for (const auto& game : status.games) {
        view.games.push_back({game.lease.pid, game.lease.owner_uid, game.name, game.source});
    }
    view.focused_pid = status.focus ? status.focus->pid : 0;
    const auto& scheduler = status.scheduler;
    if (!scheduler.is_object()) return;
    if (auto mode = scheduler.find("mode"); mode != scheduler.end() && mode->is_string()) {
        if (auto parsed = ipc::mode_from_name(mode->get<std::string>()))
            view.mode = static_cast<std::uint32_t>(*parsed);
    }
    view.tunables.clear();
    if (auto tunables = scheduler.find("tunables"); tunables != scheduler.end() && tunables->is_object()) {
        for (const auto& [name, value] : tunables->items()) {
            if (value.is_boolean())
                view.tunables[name] = value.get<bool>() ? 1 : 0;
            else if (value.is_number_unsigned())
                view.tunables[name] = value.get<std::uint64_t>();
        }
    }
    if (auto exit = scheduler.find("last_exit"); exit != scheduler.end() && exit->is_object()) {
        const auto reason = exit->find("reason");
        if (reason != exit->end() && reason->is_string()) view.exit_reason = reason->get<std::string>();
    }
}

ViewChanges compare(const SchedulerView& before, const SchedulerView& after) {
    ViewChanges changes;
    const auto changed = [&](bool differs, const char* name) {
        if (differs) changes.properties.emplace_back(name);
    };
    changed(before.state != after.state, "State");
    changed(before.ops != after.ops, "Ops");
    changed(before.mode != after.mode, "Mode");
    changed(before.tunables != after.tunables, "Tunables");
    changed(before.games != after.games, "Games");
    changed(before.focused_pid != after.focused_pid, "FocusedPid");
    for (const auto& game : after.games) {
        if (!has_pid(before.games, game.pid)) changes.started.push_back(game);
    }
    for (const auto& game : before.games) {
        if (!has_pid(after.games, game.pid)) changes.exited.push_back(game.pid);
    }
    changes.focus_changed = before.focused_pid != after.focused_pid;
    changes.state_changed = before.state != after.state;
    return changes;
}

}  // namespace gamesched::bus
