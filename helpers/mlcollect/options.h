// Command line of gamesched-mlcollect.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "helpers/mlcollect/collector.h"
#include "helpers/mlcollect/jsonl_log.h"
#include "util/result.h"

namespace gamesched::ml {

struct Options {
    std::string socket_path = "/run/gamesched/control.sock";
    // Our own socket for gameschedctl (used when systemd passes none).
    std::string listen_path = "/run/gamesched/mlcollect.sock";
    std::filesystem::path state_dir;  // empty: $STATE_DIRECTORY, else /var/lib/gamesched-mlcollect
    CollectorOptions collector;
    LogLimits limits;
    bool verbose = false;
    bool help = false;
    bool version = false;
};

[[nodiscard]] Result<Options> parse_options(const std::vector<std::string>& args);
[[nodiscard]] std::string usage_text();
// The state directory to use: the option, systemd's $STATE_DIRECTORY, or the packaged default.
[[nodiscard]] std::filesystem::path resolve_state_dir(const Options& options);

}  // namespace gamesched::ml
