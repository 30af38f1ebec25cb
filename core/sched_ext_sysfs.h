// What the kernel says about sched_ext, read from sysfs. The core reports this, never its own
// belief, so "running" always means the kernel runs our ops.
#pragma once

#include <string>

#include "util/result.h"

namespace gamesched {

struct SchedExtState {
    std::string state;  // "enabled", "disabled", "enabling", "disabling"
    std::string ops;    // root/ops: the attached scheduler's name, empty if none
    long long nr_rejected = 0;
    long long hotplug_seq = 0;
    bool switch_all = false;
};

class SchedExtSysfs {
public:
    explicit SchedExtSysfs(std::string root = "/sys/kernel/sched_ext") : root_(std::move(root)) {}

    [[nodiscard]] bool present() const;
    [[nodiscard]] Result<SchedExtState> read() const;

    // Refuses, saying what to do, when this kernel lacks sched_ext or another scheduler is on.
    [[nodiscard]] Status check_can_attach() const;

private:
    std::string root_;
};

}  // namespace gamesched
