#include "helpers/kwin/options.h"

#include <optional>

#ifndef GAMESCHED_KWIN_SCRIPT
#error "GAMESCHED_KWIN_SCRIPT (installed path of focus.js) must be defined by the build"
#endif

namespace gamesched::kwin {
namespace {

constexpr std::string_view kDefaultCoreSocket = "/run/gamesched/hints.sock";

// "--name=value" or "--name value"; nullopt when arg is not this option.
std::optional<Result<std::string>> option_value(std::string_view name, std::span<const std::string_view> args,
                                                std::size_t& i) {
    const std::string_view arg = args[i];
    if (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=') {
        return Result<std::string>(std::string(arg.substr(name.size() + 1)));
    }
    if (arg != name) return std::nullopt;
    if (i + 1 >= args.size()) {
        return Result<std::string>(Error::invalid(std::string(name) + " needs a value; see --help"));
    }
    return Result<std::string>(std::string(args[++i]));
}

}  // namespace

Result<Options> parse_options(std::span<const std::string_view> args) {
    Options options;
    options.script_source = GAMESCHED_KWIN_SCRIPT;
    options.core_socket = std::string(kDefaultCoreSocket);

    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (arg == "--print") {
            options.print = true;
        } else if (arg == "--verbose" || arg == "-v") {
            options.verbose = true;
        } else if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg == "--version" || arg == "-V") {
            options.version = true;
        } else if (auto script = option_value("--script", args, i)) {
            if (!*script) return script->error();
            options.script_source = std::move(script->value());
        } else if (auto socket = option_value("--socket", args, i)) {
            if (!*socket) return socket->error();
            options.core_socket = std::move(socket->value());
        } else {
            return Error::invalid("unknown argument '" + std::string(arg) + "'; see --help");
        }
    }
    if (options.script_source.empty() || options.core_socket.empty()) {
        return Error::invalid("--script and --socket need a non-empty path");
    }
    return options;
}

std::string usage(std::string_view program) {
    std::string text = "Usage: " + std::string(program) + " [OPTIONS]\n";
    text +=
        "\nLoads a KWin script (Plasma 5 or 6) into the session's KWin and forwards the process of\n"
        "the focused window to gamesched-core as a focus hint. Runs as a systemd --user service.\n"
        "\nOptions:\n"
        "  --print           print each focus change as a JSON line on stdout; send nothing\n"
        "  --script PATH     KWin script to load (default " GAMESCHED_KWIN_SCRIPT
        ")\n"
        "  --socket PATH     gamesched-core hint socket (default ";
    text += kDefaultCoreSocket;
    text +=
        ")\n"
        "  -v, --verbose     log every report and every call to KWin\n"
        "  -V, --version     print the version and exit\n"
        "  -h, --help        print this help and exit\n";
    return text;
}

}  // namespace gamesched::kwin
