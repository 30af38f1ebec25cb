// Command line of gamesched-detect.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "util/result.h"

namespace gamesched::detect {

struct Options {
    bool help = false;
    bool version = false;
    bool verbose = false;
    bool once = false;
    bool gamemode = true;
    std::filesystem::path proc_root = "/proc";
    std::vector<std::filesystem::path> rule_dirs;  // empty: the default layered directories
    std::string socket_path = "/run/gamesched/hints.sock";
    int threshold = 70;
    pid_t sandbox_selftest = 0;  // tests: try to escape the sandbox against this pid, then exit
};

Result<Options> parse_options(int argc, char** argv);
std::string usage_text();

}  // namespace gamesched::detect
