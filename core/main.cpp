// gamesched-core: the one privileged process. Loads the scheduler, serves the sockets.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/core.h"
#include "core/libbpf_owners.h"
#include "util/log.h"

// Start-up may throw (allocation, spdlog setup); an escaping exception ends the process with a
// message, which is what a failed start-up should do.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
    std::vector<std::string> args(argv + 1, argv + argc);
    auto parsed = gamesched::parse_core_options(args);
    if (!parsed) {
        std::fprintf(stderr, "gamesched-core: %s\n", parsed.error().message.c_str());
        return 2;
    }
    if (parsed->outcome == gamesched::ParseOutcome::ExitSuccess) return 0;

    gamesched::init_logging("gamesched-core", parsed->options.verbose);
    gamesched::route_libbpf_logs_to_spdlog();
    auto core = gamesched::Core::create(parsed->options);
    if (!core) {
        spdlog::error("{}", core.error().message);
        return 1;
    }
    return (*core)->run();
}
