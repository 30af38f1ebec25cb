// gamesched-core's exit statuses. gamesched.service refers to them by number (SuccessExitStatus=,
// RestartPreventExitStatus=, ExecStopPost=); docs/architecture.md explains them.
#pragma once

namespace gamesched {

inline constexpr int kExitDetached = 0;  // SIGTERM: detached cleanly (systemctl stop/restart)
inline constexpr int kExitFailed = 1;    // could not attach, or ejections kept coming back
inline constexpr int kExitUsage = 2;     // bad command line
// SysRq-S or a stop request: the scheduler stays off until an administrator starts it again.
// The unit treats it as success (no restart) and stops its socket units as well, so that the next
// hint cannot bring the scheduler back through socket activation.
inline constexpr int kExitStoppedByUser = 10;
// gamesched.conf is invalid (the journal names file and line). Restarting would not help.
inline constexpr int kExitConfigInvalid = 78;  // EX_CONFIG of sysexits.h

}  // namespace gamesched
