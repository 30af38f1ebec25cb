// When recently exec'd processes started, from the kernel's exec events, so that the core can
// report how long after exec a game hint arrived (a benchmark figure, logged, never asserted).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <unordered_map>

namespace gamesched {

class ExecClock {
public:
    static constexpr size_t kMaxRemembered = 4096;

    void note_exec(pid_t pid, uint64_t ts_ns) {
        if (exec_ns_.size() >= kMaxRemembered) exec_ns_.clear();  // bounded; old entries are stale anyway
        exec_ns_[pid] = ts_ns;
    }
    void forget(pid_t pid) { exec_ns_.erase(pid); }
    [[nodiscard]] std::optional<uint64_t> exec_ns(pid_t pid) const {
        auto it = exec_ns_.find(pid);
        if (it == exec_ns_.end()) return std::nullopt;
        return it->second;
    }

private:
    std::unordered_map<pid_t, uint64_t> exec_ns_;
};

}  // namespace gamesched
