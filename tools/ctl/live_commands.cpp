#include "tools/ctl/live_commands.h"

#include "tools/ctl/live_view.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <thread>

#include <unistd.h>

namespace gamesched::ctl {
namespace {

using Json = nlohmann::json;

constexpr std::array<const char*, 6> kVerbs = {"games", "stats", "monitor", "top", "stop", "start"};

Result<double> parse_seconds(const std::string& text) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0.1 || value > 3600) {
        return Error::invalid("'" + text + "' is not a number of seconds in 0.1..3600");
    }
    return value;
}

Result<long> parse_count(const std::string& text) {
    long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1) {
        return Error::invalid("'" + text + "' is not a positive count");
    }
    return value;
}

std::string roles_summary(const GameRow& game) {
    std::string out;
    for (const auto& r : game.roles) {
        if (r.threads == 0) continue;
        out += (out.empty() ? "" : " ") + r.role + ":" + std::to_string(r.threads);
    }
    return out.empty() ? "-" : out;
}

Status print_games(ControlSource& source, bool json) {
    auto snapshot = source.snapshot();
    if (!snapshot) return snapshot.error();
    const LiveView view = make_live_view(*snapshot);
    if (json) {
        std::printf("%s\n", to_json(view)["games"].dump(2).c_str());
        return Ok{};
    }
    std::printf("%7s %6s %-24s %-14s %s\n", "PID", "UID", "NAME", "SOURCE", "ROLES (threads)");
    for (const auto& g : view.games) {
        std::printf("%7d %6u %-24s %-14s %s%s\n", g.pid, g.uid, g.name.c_str(), g.source.c_str(),
                    roles_summary(g).c_str(), g.focused ? "  [focused]" : "");
    }
    return Ok{};
}

Status print_stats(ControlSource& source, bool json) {
    auto snapshot = source.snapshot();
    if (!snapshot) return snapshot.error();
    if (json) {
        std::printf("%s\n", snapshot->dump(2).c_str());
        return Ok{};
    }
    for (const auto& line : render(make_live_view(*snapshot), source.name(), 0))
        std::printf("%s\n", line.c_str());
    return Ok{};
}

// One line per interval, the shape scx tools print with --monitor: a flat, timestamped object.
Status monitor(ControlSource& source, const LiveCommand& command) {
    const auto period = std::chrono::duration<double>(command.interval_s);
    auto next = std::chrono::steady_clock::now();
    for (long printed = 0; !command.count || printed < *command.count; ++printed) {
        auto snapshot = source.snapshot();
        Json line;
        line["ts_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
        if (snapshot) {
            line.update(to_json(make_live_view(*snapshot)));
        } else {
            line["error"] = snapshot.error().message;
        }
        std::printf("%s\n", line.dump().c_str());
        if (std::fflush(stdout) != 0) return Ok{};  // the reader went away
        // A slow answer delays the next line rather than bunching lines up afterwards.
        next = std::max(next + std::chrono::duration_cast<std::chrono::steady_clock::duration>(period),
                        std::chrono::steady_clock::now());
        std::this_thread::sleep_until(next);
    }
    return Ok{};
}

}  // namespace

bool is_live_verb(const std::string& word) {
    return std::find(kVerbs.begin(), kVerbs.end(), word) != kVerbs.end();
}

Result<LiveCommand> parse_live_command(const std::vector<std::string>& args) {
    LiveCommand c;
    std::vector<std::string> words;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--json") {
            c.json = true;
        } else if (a == "--plain") {
            c.plain = true;
        } else if (a == "--bus") {
            c.source.force_bus = true;
        } else if (a == "--socket-dir" && has_value) {
            c.source.socket_dir = args[++i];
        } else if ((a == "--interval" || a == "-d") && has_value) {
            auto seconds = parse_seconds(args[++i]);
            if (!seconds) return seconds.error();
            c.interval_s = *seconds;
        } else if (a == "--count" && has_value) {
            auto count = parse_count(args[++i]);
            if (!count) return count.error();
            c.count = *count;
        } else if (a.starts_with("--")) {
            return Error::invalid("unknown option '" + a +
                                  "' (or it needs a value); see gameschedctl --help");
        } else {
            words.push_back(a);
        }
    }
    c.verb = words.empty() ? "" : words[0];
    if (!is_live_verb(c.verb)) return Error::invalid("not a live command: '" + c.verb + "'");
    if (c.verb == "monitor") {
        if (words.size() != 2) return Error::invalid("monitor needs SECONDS, e.g. gameschedctl monitor 1");
        auto seconds = parse_seconds(words[1]);
        if (!seconds) return seconds.error();
        c.interval_s = *seconds;
    } else if (words.size() != 1) {
        return Error::invalid(c.verb + " takes no arguments; see gameschedctl --help");
    }
    if (c.json && c.verb != "games" && c.verb != "stats")
        return Error::invalid("--json applies to games and stats");
    if (c.plain && c.verb != "top") return Error::invalid("--plain applies to top");
    return c;
}

Status run_live_command(const LiveCommand& c) {
    SourceOptions where = c.source;
    // The core stops only for root (or the bridge, for an administrator polkit authorised), and a
    // stopped core has no socket to start it through: for anyone else, polkit asks.
    if ((c.verb == "stop" || c.verb == "start") && geteuid() != 0) where.force_bus = true;
    auto source = open_control_source(where);
    if (!source) return source.error();
    ControlSource& s = **source;
    if (c.verb == "games") return print_games(s, c.json);
    if (c.verb == "stats") return print_stats(s, c.json);
    if (c.verb == "monitor") return monitor(s, c);
    if (c.verb == "top") return c.plain ? run_top_plain(s, c) : run_top(s, c);
    if (c.verb == "stop") {
        if (auto stopped = s.stop(); !stopped) return stopped;
        std::fprintf(stderr,
                     "gameschedctl: the scheduler is stopped and stays off until `gameschedctl start`\n");
        return Ok{};
    }
    if (auto started = s.start(); !started) return started;
    std::fprintf(stderr, "gameschedctl: systemd is starting gamesched.service\n");
    return Ok{};
}

}  // namespace gamesched::ctl
