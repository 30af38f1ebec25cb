// A snapshot of what /proc says about one process: everything the rules look at, read once.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gamesched::detect {

struct ProcessInfo {
    pid_t pid = 0;
    pid_t ppid = 0;
    uid_t uid = 0;
    std::string comm;
    std::string exe_path;  // empty when the link is unreadable (other user, kernel thread)
    std::string exe_name;  // basename of exe_path
    std::vector<std::string> args;
    // nullopt: /proc/<pid>/environ could not be read (another uid, a non-dumpable process).
    // Rules that ask about the environment then answer "unknown", never "absent".
    std::optional<std::map<std::string, std::string>> environ;
    int environ_errno = 0;
    std::string cgroup;  // the unified-hierarchy path ("0::" line), empty if none
    int threads = 0;
    std::uint64_t start_time = 0;  // clock ticks after boot: tells a recycled pid apart
    // Open fds on a GPU device node (/dev/dri/*, /dev/nvidia*). nullopt: not looked at yet,
    // or the fd directory was unreadable.
    std::optional<int> gpu_fds;
    // MangoHud's library (libMangoHud*.so) is mapped, per /proc/<pid>/maps. nullopt: not looked
    // at yet (read with the fds, for candidates only), or the mappings were unreadable.
    std::optional<bool> mangohud_loaded;

    // The Windows program a Wine process runs ("Game.exe"), or empty.
    [[nodiscard]] std::string wine_program() const;
    [[nodiscard]] const std::string* env(const std::string& name) const;
};

// Basename that understands both '/' and Windows '\' separators.
std::string basename_any(const std::string& path);

}  // namespace gamesched::detect
