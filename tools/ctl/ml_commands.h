// gameschedctl's profile and ml commands. They go to gamesched-mlcollect's own socket
// (<socket-dir>/mlcollect.sock, root and group gamesched), not to the core: profiles and samples
// belong to the collector (docs/ml.md says why).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace gamesched::ctl {

inline constexpr const char* kMlUsage = R"(
  profile list [--json]     games with a profile: status, pinned, trials, tunables
  profile show GAME         one profile (GAME: its key or name) as JSON
  profile pin|unpin GAME    keep it as it is: never re-tuned (unpin: may be re-tuned)
  profile reset GAME        forget it: the game is tuned afresh when it next runs alone
  profile export [GAME]     every profile (or one) as a JSON array, trial results included
  ml export --csv [GAME]    stored samples as CSV, a row per game and interval (docs/ml.md)
)";

// The implicit move constructor is noexcept, as is nlohmann::json's; clang-tidy 14 follows json's
// debug-only invariant check into code that throws.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct MlCommand {
    nlohmann::json request;
    bool table = false;  // profile list without --json
};

// words[0] is "profile" or "ml".
[[nodiscard]] Result<MlCommand> parse_ml_command(const std::vector<std::string>& words);
Status run_ml_command(const MlCommand& command, const std::string& socket_dir);

}  // namespace gamesched::ctl
