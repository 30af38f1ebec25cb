// Applies gamesched.conf to the scheduler's state: everything at start; on reload (SIGHUP) only
// what changed in the file since it was last applied, so that settings changed at runtime
// (gameschedctl set/mode) and not touched in the file stay as they are until a restart.
#pragma once

#include "core/config/core_config.h"
#include "core/scheduler_state.h"

#include <string>

namespace gamesched {

class ConfigApplier {
public:
    // At start: the file's mode (auto when absent), then its tunables over that mode's defaults.
    Status apply_initial(const CoreConfig& config, SchedulerState& state);
    // On reload: a changed mode resets the tunables to its defaults and applies all of the file's
    // tunables; otherwise only tunables whose line changed, was added, or was removed (back to
    // the mode's default). Nothing changes when the result is refused.
    Status apply_reload(const CoreConfig& next, SchedulerState& state);

    // "mode gaming, slice_us 3000" for the log; "defaults" when the file sets nothing.
    [[nodiscard]] static std::string describe(const CoreConfig& config);

private:
    CoreConfig applied_;
};

}  // namespace gamesched
