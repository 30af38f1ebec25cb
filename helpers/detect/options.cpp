#include "helpers/detect/options.h"

#include <charconv>

namespace gamesched::detect {

std::string usage_text() {
    return R"(usage: gamesched-detect [OPTIONS]

Decides which of your processes are games and tells gamesched-core, from process events the
core forwards plus one /proc scan at start. Runs as a systemd --user unit.

  --once             scan /proc once, print the games it would report as a JSON array, exit
  --proc-root DIR    read processes from DIR instead of /proc (tests)
  --rules-dir DIR    load rules from DIR only (repeatable; later directories override earlier
                     ones by rule name). Default: )" GAMESCHED_RULES_DATADIR R"(, then
                     )" GAMESCHED_RULES_SYSCONFDIR R"(, then ~/.config/gamesched/rules.d
  --socket PATH      the core's hint socket (default /run/gamesched/hints.sock)
  --threshold N      confidence (0-100) from which a game is certain (default 70)
  --no-gamemode      do not watch Feral GameMode on the session bus
  -v, --verbose      log candidates and rule decisions
  -h, --help         show this help
  -V, --version      show the version

For tests only:
  --sandbox-selftest PID  confine as usual, then try to write ~/.config/autostart/x.desktop and
                     to change PID's limits; print what the kernel answered, exit 0 if all
                     was refused
)";
}

Result<Options> parse_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](const char* what) -> Result<std::string> {
            if (i + 1 >= argc) return Error::invalid(arg + " needs " + what + "; see --help");
            return std::string(argv[++i]);
        };
        if (arg == "-h" || arg == "--help") {
            options.help = true;
        } else if (arg == "-V" || arg == "--version") {
            options.version = true;
        } else if (arg == "-v" || arg == "--verbose") {
            options.verbose = true;
        } else if (arg == "--once") {
            options.once = true;
        } else if (arg == "--no-gamemode") {
            options.gamemode = false;
        } else if (arg == "--proc-root" || arg == "--rules-dir" || arg == "--socket") {
            auto v = value(arg == "--socket" ? "a socket path" : "a directory");
            if (!v) return v.error();
            if (v->empty()) return Error::invalid(arg + " needs a non-empty value");
            if (arg == "--proc-root")
                options.proc_root = *v;
            else if (arg == "--socket")
                options.socket_path = *v;
            else
                options.rule_dirs.emplace_back(*v);
        } else if (arg == "--sandbox-selftest") {
            auto v = value("a process id");
            if (!v) return v.error();
            int n = 0;
            const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
            if (ec != std::errc() || ptr != v->data() + v->size() || n <= 0) {
                return Error::invalid("--sandbox-selftest needs a process id, got '" + *v + "'");
            }
            options.sandbox_selftest = n;
        } else if (arg == "--threshold") {
            auto v = value("a number from 0 to 100");
            if (!v) return v.error();
            int n = -1;
            const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
            if (ec != std::errc() || ptr != v->data() + v->size() || n < 0 || n > 100) {
                return Error::invalid("--threshold needs a number from 0 to 100, got '" + *v + "'");
            }
            options.threshold = n;
        } else {
            return Error::invalid("unknown option '" + arg + "'; see --help");
        }
    }
    return options;
}

}  // namespace gamesched::detect
