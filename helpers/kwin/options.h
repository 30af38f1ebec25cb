// Command line of gamesched-kwin.
#pragma once

#include "util/result.h"

#include <span>
#include <string>
#include <string_view>

namespace gamesched::kwin {

struct Options {
    bool print = false;  // JSON lines on stdout instead of hints to the core
    bool verbose = false;
    bool help = false;
    bool version = false;
    std::string script_source;  // the KWin script to copy into $XDG_RUNTIME_DIR
    std::string core_socket;
};

// args excludes the program name.
Result<Options> parse_options(std::span<const std::string_view> args);

std::string usage(std::string_view program);

}  // namespace gamesched::kwin
