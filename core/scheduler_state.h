// The scheduler's desired state as the core knows it: games, focus, tunables, input devices and
// thread-name hints. It is authoritative: after every (re-)attach it is written into the fresh
// BPF maps, and every change is written through to the maps of the attached scheduler.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "bpf/intf.h"
#include "core/bpf_scheduler.h"
#include "core/desktop_state.h"
#include "ipc/messages.h"
#include "util/result.h"

namespace gamesched {

struct GameEntry {
    uid_t owner = 0;
    std::string name;
    std::string source;
    std::optional<std::string> app_id;  // launcher's id (Steam app id, ...), when the hint had one
    std::string exe;                    // base name of /proc/<tgid>/exe when it was registered
    uint64_t since_ns = 0;
};

// Tunables in the protocol's names and units (microseconds, percent, switch as bool).
nlohmann::json tunables_json(const gs_tunables& t);

class SchedulerState {
public:
    SchedulerState();

    // Points writes at the maps of a freshly attached scheduler and replays the whole state
    // into them; nullopt while detached.
    Status bind(std::optional<SchedulerMaps> maps);

    Status add_game(pid_t tgid, uid_t owner, const std::string& name, const std::string& source,
                    const std::optional<std::string>& app_id = std::nullopt);
    Status remove_game(pid_t tgid);
    // The kernel's exit (or privileged exec) tracepoint already removed the map entry; forget it
    // here too, and the focus on it, if both were set before event_ns (CLOCK_MONOTONIC). A state
    // set later belongs to a new process that reused the pid and stays. True if a game was dropped.
    bool forget_game(pid_t tgid, uint64_t event_ns);
    Status set_focus(pid_t tgid);  // 0 = none
    Status set_tunables(const ipc::Tunables& changes);
    Status set_mode(ipc::Mode mode);
    Status set_input_device(uint64_t key, gs_input_class cls);
    Status remove_input_device(uint64_t key);
    Status set_name_hint(const std::string& comm, gs_role role);

    // Compositors and audio servers (bpf/desktop.bpf.h).
    DesktopState& desktop() { return desktop_; }

    [[nodiscard]] const gs_tunables& tunables() const { return tunables_; }
    [[nodiscard]] const std::map<pid_t, GameEntry>& games() const { return games_; }
    // The per-game statistics map of the attached scheduler; -1 while detached.
    [[nodiscard]] int game_stats_fd() const { return maps_ ? maps_->game_stats : -1; }
    [[nodiscard]] pid_t focus() const { return focus_; }
    [[nodiscard]] ipc::Mode mode() const { return mode_; }
    [[nodiscard]] nlohmann::json to_json() const;

    // Built-in defaults per scx_loader mode (auto = the defaults below).
    static gs_tunables defaults_for(ipc::Mode mode);

private:
    Status write_game(pid_t tgid, const GameEntry& game);
    Status bump_games_generation();
    void drop_game_stats(pid_t tgid);
    Status write_focus();
    Status write_tunables();
    Status write_name_hint(const std::string& comm, gs_role role);

    std::optional<SchedulerMaps> maps_;
    std::map<pid_t, GameEntry> games_;
    std::map<uint64_t, gs_input_class> input_devices_;
    std::map<std::string, gs_role> name_hints_;
    DesktopState desktop_;
    pid_t focus_ = 0;
    uint64_t focus_since_ns_ = 0;
    ipc::Mode mode_ = ipc::Mode::auto_;
    gs_tunables tunables_{};
    uint64_t games_generation_ = 0;
};

}  // namespace gamesched
