// What the bridge publishes as properties, read from the core (get_status) and from sysfs
// (sched_ext state: the kernel's word, also while the core is stopped), and the differences
// between two readings as the signals they mean.
#pragma once

#include "ipc/replies.h"

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace gamesched::bus {

struct GameEntry {
    std::int32_t pid = 0;
    std::uint32_t owner_uid = 0;
    std::string name;
    std::string source;
    bool operator==(const GameEntry&) const = default;
};

struct SchedulerView {
    std::string state;        // /sys/kernel/sched_ext/state
    std::string ops;          // /sys/kernel/sched_ext/root/ops
    std::string exit_reason;  // the core's last word on why the scheduler stopped, if it said
    std::uint32_t mode = 0;
    std::map<std::string, std::uint64_t> tunables;
    std::vector<GameEntry> games;
    std::int32_t focused_pid = 0;
    bool core_reachable = false;
    bool operator==(const SchedulerView&) const = default;
};

// Reads state and ops below sysfs_root (normally /sys/kernel/sched_ext).
void read_sysfs(const std::string& sysfs_root, SchedulerView& view);

// Mode, tunables, games and focus from the core's get_status reply on control.sock.
void read_core_status(const ipc::CoreStatus& status, SchedulerView& view);

struct ViewChanges {
    std::vector<std::string> properties;  // names whose value changed
    std::vector<GameEntry> started;
    std::vector<std::int32_t> exited;
    bool focus_changed = false;
    bool state_changed = false;
};

[[nodiscard]] ViewChanges compare(const SchedulerView& before, const SchedulerView& after);

}  // namespace gamesched::bus
