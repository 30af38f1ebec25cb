// gameschedctl's commands: parsing into one request each, and running it.
#pragma once

#include <string>
#include <vector>

#include "ipc/messages.h"
#include "util/result.h"

namespace gamesched::ctl {

inline constexpr const char* kUsage = R"(usage: gameschedctl [--socket-dir DIR] COMMAND

  status                    the scheduler's state (control.sock: root or group gamesched)
  game PID [NAME]           mark one of your processes as a game (hints.sock)
  ungame PID                unmark it
  focus PID                 report PID as the focused window's process (0 = none)
  set KEY=VALUE...          change tunables at runtime (control.sock), e.g. slice_us=3000
  mode NAME                 auto, gaming, powersave, lowlatency or server (control.sock)
  watch [--events] [--stats] print pushed process events / stats samples as JSON lines

  --hold                    with game/focus: stay connected (the hint lasts while we run,
                            until the process exits or SIGTERM); otherwise it lasts 10 s
  --socket-dir DIR          default /run/gamesched
)";

struct Command {
    bool help = false;
    bool hold = false;
    bool control = false;  // which socket
    bool watch = false;
    std::string socket_dir = "/run/gamesched";
    ipc::Message message;
};

Result<Command> parse_command(const std::vector<std::string>& args);
Status run_command(const Command& command);

}  // namespace gamesched::ctl
