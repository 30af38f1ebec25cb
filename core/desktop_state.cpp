#include "core/desktop_state.h"

#include <chrono>
#include <string>

#include "core/map_write.h"

namespace gamesched {

const char* desktop_role_name(gs_desktop_role role) {
    switch (role) {
        case GS_DESKTOP_COMPOSITOR:
            return "compositor";
        case GS_DESKTOP_AUDIO:
            return "audio";
        case GS_DESKTOP_NONE:
            break;
    }
    return "none";
}

Status DesktopState::bind(int map_fd) {
    map_fd_ = map_fd;
    for (const auto& [tgid, entry] : entries_) {
        auto key = static_cast<uint32_t>(tgid);
        if (auto st = map_update(map_fd_, &key, &entry.proc, "the desktop process map"); !st) return st;
    }
    return Ok{};
}

Status DesktopState::add(pid_t tgid, uid_t owner, gs_desktop_role role) {
    if (entries_.size() >= GS_MAX_DESKTOP_PROCS && !entries_.count(tgid)) {
        return Error{ENOSPC, "too many desktop processes registered (" +
                                 std::to_string(GS_MAX_DESKTOP_PROCS) +
                                 "); end one of the helpers holding them first"};
    }
    const gs_desktop_proc entry{static_cast<uint32_t>(role), static_cast<uint32_t>(owner)};
    auto key = static_cast<uint32_t>(tgid);
    if (auto st = map_update(map_fd_, &key, &entry, "the desktop process map"); !st) return st;
    const auto since = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch());  // CLOCK_MONOTONIC, as the kernel's events
    entries_[tgid] = Entry{entry, static_cast<uint64_t>(since.count())};
    return Ok{};
}

void DesktopState::forget(pid_t tgid, uint64_t event_ns) {
    const auto it = entries_.find(tgid);
    if (it != entries_.end() && it->second.since_ns <= event_ns) entries_.erase(it);
}

Status DesktopState::remove(pid_t tgid) {
    entries_.erase(tgid);
    auto key = static_cast<uint32_t>(tgid);
    return map_delete(map_fd_, &key, "the desktop process map");
}

nlohmann::json DesktopState::to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [tgid, entry] : entries_) {
        list.push_back({{"pid", tgid},
                        {"uid", entry.proc.owner_uid},
                        {"role", desktop_role_name(static_cast<gs_desktop_role>(entry.proc.role))}});
    }
    return list;
}

}  // namespace gamesched
