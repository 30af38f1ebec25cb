// Everything one classification may look at: the process, its ancestors (read from /proc only
// when a rule asks), and who GameMode says is registered.
#pragma once

#include <cstddef>
#include <set>
#include <vector>

#include "helpers/detect/proc_reader.h"

namespace gamesched::detect {

class MatchContext {
public:
    // Deep enough for reaper -> steam-launch-wrapper -> pressure-vessel -> proton -> wine
    // chains; stops a fixture (or a /proc race) with a parent loop from walking forever.
    static constexpr std::size_t kMaxDepth = 32;

    MatchContext(ProcessInfo self, ProcessSource& source, const std::set<pid_t>& gamemode_pids)
        : source_(source), gamemode_pids_(gamemode_pids) {
        chain_.push_back(std::move(self));
    }

    // Level 0 is the process itself, 1 its parent, and so on; nullptr past the top.
    const ProcessInfo* at(std::size_t level);
    [[nodiscard]] const ProcessInfo& self() const { return chain_.front(); }
    [[nodiscard]] bool gamemode_registered(pid_t pid) const { return gamemode_pids_.contains(pid); }

private:
    ProcessSource& source_;
    const std::set<pid_t>& gamemode_pids_;
    std::vector<ProcessInfo> chain_;
    bool chain_ended_ = false;
};

}  // namespace gamesched::detect
