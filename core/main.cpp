// gamesched-core: the one privileged process. Loads the scheduler, serves the sockets.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/config/core_config.h"
#include "core/core.h"
#include "core/exit_status.h"
#include "core/libbpf_owners.h"
#include "util/journal.h"
#include "util/log.h"
#include "util/message_ids.h"

// Start-up may throw (allocation, spdlog setup); an escaping exception ends the process with a
// message, which is what a failed start-up should do.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
    std::vector<std::string> args(argv + 1, argv + argc);
    auto parsed = gamesched::parse_core_options(args);
    if (!parsed) {
        std::fprintf(stderr, "gamesched-core: %s\n", parsed.error().message.c_str());
        return gamesched::kExitUsage;
    }
    if (parsed->outcome == gamesched::ParseOutcome::ExitSuccess) return 0;
    const auto& options = parsed->options;

    gamesched::init_logging("gamesched-core", options.verbose);
    gamesched::route_libbpf_logs_to_spdlog();
    // An invalid configuration is refused before anything is attached: running with settings
    // the administrator did not write would be worse than not running.
    auto config = gamesched::load_core_config(options.config_path);
    if (!config) {
        gamesched::log_event(spdlog::level::err, gamesched::message_id::kConfigInvalid,
                             config.error().message + "; fix the file and start gamesched again",
                             {{"GAMESCHED_CONFIG_FILE", options.config_path}});
        return gamesched::kExitConfigInvalid;
    }
    auto core = gamesched::Core::create(options, *config);
    if (!core) {
        spdlog::error("{}", core.error().message);
        return gamesched::kExitFailed;
    }
    return (*core)->run();
}
