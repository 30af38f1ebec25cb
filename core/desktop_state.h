// The desktop processes a focused game needs (bpf/desktop.bpf.h): compositors and audio servers
// the core verified. Kept here and written through to the desktop_procs map, replayed into a
// fresh map after every attach.
#pragma once

#include <sys/types.h>

#include <map>
#include <nlohmann/json.hpp>

#include "bpf/intf.h"
#include "util/result.h"

namespace gamesched {

const char* desktop_role_name(gs_desktop_role role);

class DesktopState {
public:
    // The map of a freshly attached scheduler (replays every entry into it); -1 while detached.
    Status bind(int map_fd);

    // A verified, live TGID owned by owner. Refused when the table is full.
    Status add(pid_t tgid, uid_t owner, gs_desktop_role role);
    Status remove(pid_t tgid);
    // The kernel already removed the map entry (exit, or a set-uid exec) at event_ns
    // (CLOCK_MONOTONIC). An entry added after that is a new process that reused the pid: kept.
    void forget(pid_t tgid, uint64_t event_ns);

    [[nodiscard]] std::size_t size() const { return entries_.size(); }
    [[nodiscard]] nlohmann::json to_json() const;

private:
    struct Entry {
        gs_desktop_proc proc;
        uint64_t since_ns;  // CLOCK_MONOTONIC when added
    };
    int map_fd_ = -1;
    std::map<pid_t, Entry> entries_;
};

}  // namespace gamesched
