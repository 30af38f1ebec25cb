// gameschedctl's commands: parsing into one request each, and running it.
#pragma once

#include <string>
#include <vector>

#include "ipc/messages.h"
#include "tools/ctl/ml_commands.h"
#include "util/result.h"

namespace gamesched::ctl {

inline constexpr const char* kUsage = R"(usage: gameschedctl [--socket-dir DIR] COMMAND

  status                    the scheduler's state (control.sock: root or group gamesched)
  game PID [NAME]           mark one of your processes as a game (hints.sock)
  ungame PID                unmark it
  focus PID                 report PID as the focused window's process (0 = none)
  desktop PID ROLE          name one of your processes as your compositor or audio server
                            (ROLE: compositor, audio); gamesched-kwin and gamesched-detect
                            do this for KWin and PipeWire/PulseAudio
  set KEY=VALUE...          change tunables at runtime (control.sock), e.g. slice_us=3000
  mode NAME                 auto, gaming, powersave, lowlatency or server (control.sock)
                            set and mode last until the core restarts; with --persist they
                            are also written to gamesched.conf (root, or who may write it)
  watch [--events] [--stats] print pushed process events / stats samples as JSON lines

  --hold                    with game/focus/desktop: stay connected (the hint lasts while we run,
                            until the process exits or SIGTERM); otherwise it lasts 10 s
  --socket-dir DIR          default /run/gamesched
  --config FILE             the file --persist writes (default )" GAMESCHED_SYSCONFDIR
                                      R"(/gamesched/gamesched.conf)
)";

struct Command {
    bool help = false;
    bool hold = false;
    bool control = false;  // which socket
    bool watch = false;
    bool persist = false;
    std::string config_path;
    std::string socket_dir = "/run/gamesched";
    ipc::Message message;
    std::optional<MlCommand> ml;  // profile/ml commands go to gamesched-mlcollect
};

Result<Command> parse_command(const std::vector<std::string>& args);
Status run_command(const Command& command);

}  // namespace gamesched::ctl
