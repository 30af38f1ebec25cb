// gameschedctl's commands that read or steer the running scheduler through a ControlSource
// (control.sock or the D-Bus bridge): games, stats, monitor, top, stop, start.
#pragma once

#include "tools/ctl/control_source.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <vector>

namespace gamesched::ctl {

inline constexpr const char* kLiveUsage = R"(
  games [--json]            the games the scheduler holds, with their threads' roles
  stats [--json]            one snapshot: state, mode, focus, waits, boosts; --json: all of it
  monitor SECONDS           one JSON line per interval (what top shows), until interrupted
  top [--plain] [--interval SECONDS] [--count N]
                            live view; keys: 0-4 or m change the mode, q quits; --plain prints
                            the same view as text once per interval (no terminal needed)
  stop                      detach the scheduler and keep it off (root; others through the
                            D-Bus bridge, as polkit allows)
  start                     start it again (systemd's StartUnit; the bridge's Start() for others)

  These use control.sock for root and group gamesched, and the D-Bus bridge
  (org.gamesched.Scheduler1, polkit-checked) for everyone else; --bus forces the bridge.
)";

struct LiveCommand {
    std::string verb;
    bool json = false;
    bool plain = false;
    double interval_s = 1.0;
    std::optional<long> count;  // refreshes before top --plain / monitor stop
    SourceOptions source;
};

[[nodiscard]] bool is_live_verb(const std::string& word);
Result<LiveCommand> parse_live_command(const std::vector<std::string>& args);
Status run_live_command(const LiveCommand& command);

// top's loops (top.cpp).
Status run_top(ControlSource& source, const LiveCommand& command);
Status run_top_plain(ControlSource& source, const LiveCommand& command);

}  // namespace gamesched::ctl
