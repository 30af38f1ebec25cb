#include "helpers/mlcollect/options.h"

#include <charconv>
#include <cstdlib>
#include <functional>
#include <map>
#include <sstream>

namespace gamesched::ml {
namespace {

Result<long> parse_count(const std::string& option, const std::string& text, long min, long max) {
    long v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max)
        return Error::invalid(option + " wants a whole number from " + std::to_string(min) + " to " +
                              std::to_string(max) + ", not '" + text + "'");
    return v;
}

std::vector<std::string> split_names(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string name; std::getline(in, name, ',');)
        if (!name.empty()) out.push_back(name);
    return out;
}

}  // namespace

std::string usage_text() {
    return R"(usage: gamesched-mlcollect [OPTIONS]
Stores per-game scheduler statistics, autotunes games without a profile and applies each game's
profile when it runs. Talks to gamesched-core over its control socket.

  --socket PATH              control socket (default /run/gamesched/control.sock)
  --listen PATH              own socket for gameschedctl profile/ml commands when systemd
                             passes none (default /run/gamesched/mlcollect.sock)
  --state-dir DIR            where samples and profiles live (default $STATE_DIRECTORY,
                             else /var/lib/gamesched-mlcollect)
  --no-autotune              record and apply profiles, never run trials
  --autotune-tunables A,B    tunables to search (default slice_us,slice_min_us,lag_clamp_us,
                             game_boost_pct,input_boost_pct,preempt_enabled)
  --autotune-budget N        trials per game (default 20)
  --autotune-repeats N       measured segments per trial (default 2)
  --autotune-settle N        intervals discarded after each change (default 5)
  --autotune-measure N       intervals measured per segment (default 30)
  --max-file-mib N           sample file size before rotation (default 8)
  --keep-files N             rotated sample files kept per game (default 3)
  --verbose                  debug logging
  --help, --version
)";
}

Result<Options> parse_options(const std::vector<std::string>& args) {
    Options o;
    auto& tune = o.collector.tune;
    struct Counted {
        long min, max;
        std::function<void(long)> set;
    };
    const std::map<std::string, Counted> counted = {
        {"--autotune-budget", {1, 1000, [&](long v) { tune.budget = static_cast<int>(v); }}},
        {"--autotune-repeats", {1, 20, [&](long v) { tune.repeats = static_cast<int>(v); }}},
        {"--autotune-settle", {1, 3600, [&](long v) { tune.settle = static_cast<int>(v); }}},
        {"--autotune-measure", {1, 3600, [&](long v) { tune.measure = static_cast<int>(v); }}},
        {"--max-file-mib",
         {1, 4096, [&](long v) { o.limits.max_bytes = static_cast<std::uint64_t>(v) << 20; }}},
        {"--keep-files", {0, 1000, [&](long v) { o.limits.keep_rotated = static_cast<unsigned>(v); }}},
    };
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> Result<std::string> {
            if (i + 1 >= args.size()) return Error::invalid(a + " needs a value");
            return args[++i];
        };
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--version") {
            o.version = true;
        } else if (a == "--verbose") {
            o.verbose = true;
        } else if (a == "--no-autotune") {
            o.collector.autotune = false;
        } else if (a == "--socket" || a == "--listen" || a == "--state-dir" || a == "--autotune-tunables" ||
                   counted.count(a)) {
            auto v = value();
            if (!v) return v.error();
            if (a == "--socket") {
                o.socket_path = *v;
            } else if (a == "--listen") {
                o.listen_path = *v;
            } else if (a == "--state-dir") {
                o.state_dir = *v;
            } else if (a == "--autotune-tunables") {
                tune.search = split_names(*v);
            } else {
                const Counted& c = counted.at(a);
                auto n = parse_count(a, *v, c.min, c.max);
                if (!n) return n.error();
                c.set(*n);
            }
        } else {
            return Error::invalid("unknown option '" + a + "' (see --help)");
        }
    }
    if (o.collector.autotune) {
        // Names are checked against the protocol's tunables now, not when a game first runs.
        for (const auto& name : tune.search) {
            const auto specs = protocol_tunables();
            if (name == kNeverSearched)
                return Error::invalid(name + " is never autotuned (it protects the background)");
            if (std::none_of(specs.begin(), specs.end(), [&](const auto& s) { return s.name == name; }))
                return Error::invalid("--autotune-tunables: unknown tunable '" + name + "'");
        }
    }
    return o;
}

std::filesystem::path resolve_state_dir(const Options& options) {
    if (!options.state_dir.empty()) return options.state_dir;
    // systemd may pass several colon-separated directories; ours is the first.
    if (const char* env = std::getenv("STATE_DIRECTORY"); env && *env) {
        std::string first(env);
        return first.substr(0, first.find(':'));
    }
    return "/var/lib/gamesched-mlcollect";
}

}  // namespace gamesched::ml
