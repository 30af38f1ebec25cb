// gamesched.conf: the scheduler's mode and tunables as the administrator keeps them across
// restarts. The format is documented in docs/man/gamesched.conf.5.scd; the keys are the
// tunables' wire names (ipc::kTunableRanges), preempt_enabled and mode.
#pragma once

#include "ipc/messages.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gamesched {

#ifndef GAMESCHED_SYSCONFDIR
#define GAMESCHED_SYSCONFDIR "/etc"
#endif
inline constexpr const char* kDefaultConfigPath = GAMESCHED_SYSCONFDIR "/gamesched/gamesched.conf";

struct CoreConfig {
    std::optional<ipc::Mode> mode;  // absent: auto
    ipc::Tunables tunables;         // absent fields: the mode's defaults
    bool operator==(const CoreConfig&) const = default;
};

// Parses and validates the file's text; errors name origin and line and list the known keys
// when a key is unknown.
[[nodiscard]] Result<CoreConfig> parse_core_config(std::string_view text, const std::string& origin);

// Reads path. A missing file is an empty configuration (every setting at its default);
// missing is set so that callers can say so.
struct LoadedConfig {
    CoreConfig config;
    bool missing = false;
};
[[nodiscard]] Result<LoadedConfig> load_core_config(const std::string& path);

// The key = value pairs a request would change, as they are written to the file (for
// gameschedctl --persist).
[[nodiscard]] std::vector<std::pair<std::string, std::string>> config_assignments(
    const ipc::Tunables& tunables);
[[nodiscard]] std::pair<std::string, std::string> config_assignment(ipc::Mode mode);

// "mode, slice_us, ..., preempt_enabled": for error messages and documentation checks.
[[nodiscard]] std::string known_config_keys();

}  // namespace gamesched
