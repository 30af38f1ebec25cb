#include "core/options.h"

#include <cstdio>
#include <cstdlib>

namespace gamesched {
namespace {

constexpr const char* kUsage = R"(usage: gamesched-core [OPTIONS]

Loads and attaches the gamesched sched_ext scheduler and serves the hint and control sockets.
Needs root and a kernel with sched_ext (CONFIG_SCHED_CLASS_EXT=y).

  -s, --stats SECONDS     print a JSON line of scheduler statistics every SECONDS
      --scheduler NAME    gamesched (default) or baseline-fifo (benchmarks only)
      --runtime-dir DIR   where the sockets live (default /run/gamesched)
      --no-sockets        do not serve hints.sock/control.sock (benchmarks, debugging)
      --input-path PATH   kernel (default: boost windows opened in the kernel's input_event)
                          or userspace (read devices with libevdev; the automatic fallback)
      --thread-roles FILE thread-name hint table (default )" GAMESCHED_DATADIR
                               R"(/gamesched/thread-roles.json,
                          overridden entry by entry by )" GAMESCHED_SYSCONFDIR
                               R"(/gamesched/thread-roles.json)
      --config FILE       mode and tunables (default )" GAMESCHED_SYSCONFDIR R"(/gamesched/gamesched.conf;
                          see gamesched.conf(5)); SIGHUP re-reads it
  -v, --verbose           debug logging (includes libbpf's messages)
  -V, --version           print the version and exit
  -h, --help              print this help and exit
)";

Result<double> parse_seconds(const std::string& text) {
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !(v > 0) || v > 3600) {
        return Error::invalid("--stats wants a number of seconds between 0 and 3600, got '" + text + "'");
    }
    return v;
}

}  // namespace

Result<ParsedOptions> parse_core_options(const std::vector<std::string>& args) {
    ParsedOptions parsed;
    auto& o = parsed.options;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* name) -> Result<std::string> {
            if (i + 1 >= args.size()) return Error::invalid(std::string(name) + " needs a value");
            return args[++i];
        };
        if (a == "-h" || a == "--help") {
            std::fputs(kUsage, stdout);
            parsed.outcome = ParseOutcome::ExitSuccess;
            return parsed;
        } else if (a == "-V" || a == "--version") {
            std::printf("gamesched-core %s\n", GAMESCHED_VERSION);
            parsed.outcome = ParseOutcome::ExitSuccess;
            return parsed;
        } else if (a == "-v" || a == "--verbose") {
            o.verbose = true;
        } else if (a == "-s" || a == "--stats") {
            auto v = value("--stats");
            if (!v) return v.error();
            auto secs = parse_seconds(*v);
            if (!secs) return secs.error();
            o.stats_interval_s = *secs;
        } else if (a == "--scheduler") {
            auto v = value("--scheduler");
            if (!v) return v.error();
            if (*v == "gamesched") {
                o.scheduler = SchedulerKind::Gamesched;
            } else if (*v == "baseline-fifo") {
                o.scheduler = SchedulerKind::BaselineFifo;
            } else {
                return Error::invalid("--scheduler wants gamesched or baseline-fifo, got '" + *v + "'");
            }
        } else if (a == "--no-sockets") {
            o.serve_sockets = false;
        } else if (a == "--input-path") {
            auto v = value("--input-path");
            if (!v) return v.error();
            if (*v != "kernel" && *v != "userspace") {
                return Error::invalid("--input-path wants kernel or userspace, got '" + *v + "'");
            }
            o.input_in_kernel = *v == "kernel";
        } else if (a == "--thread-roles") {
            auto v = value("--thread-roles");
            if (!v) return v.error();
            o.thread_roles_file = *v;
            o.thread_roles_override.clear();
        } else if (a == "--config") {
            auto v = value("--config");
            if (!v) return v.error();
            o.config_path = *v;
        } else if (a == "--runtime-dir") {
            auto v = value("--runtime-dir");
            if (!v) return v.error();
            o.runtime_dir = *v;
#ifdef GAMESCHED_TEST_HOOKS
        } else if (a == "--test-error-after-ms") {
            auto v = value("--test-error-after-ms");
            if (!v) return v.error();
            o.test_error_after_ms = std::atoi(v->c_str());
        } else if (a == "--test-without-peek") {
            o.test_without_peek = true;
#endif
        } else {
            return Error::invalid("unknown argument '" + a + "'; see gamesched-core --help");
        }
    }
    return parsed;
}

}  // namespace gamesched
