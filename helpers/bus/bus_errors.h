// The D-Bus errors the bridge answers with (listed in org.gamesched.Scheduler1.xml and
// gamesched-bus(8)). The core's refusal carries its cause as an errno (docs/protocol.md,
// Errors); the bridge turns that into a name a program can act on and keeps the core's words as
// the message.
#pragma once

#include "ipc/call_error.h"

#include <sdbus-c++/Error.h>

#include <string>

namespace gamesched::bus {

namespace error_name {
// polkit's own name for its "no", as polkit-using services answer it.
inline constexpr const char* kNotAuthorized = "org.freedesktop.PolicyKit1.Error.NotAuthorized";
inline constexpr const char* kPermissionDenied = "org.gamesched.Scheduler1.Error.PermissionDenied";
inline constexpr const char* kNotYours = "org.gamesched.Scheduler1.Error.NotYours";
inline constexpr const char* kNoSuchProcess = "org.gamesched.Scheduler1.Error.NoSuchProcess";
inline constexpr const char* kLimitExceeded = "org.gamesched.Scheduler1.Error.LimitExceeded";
inline constexpr const char* kRefused = "org.gamesched.Scheduler1.Error.Refused";
inline constexpr const char* kCoreUnavailable = "org.gamesched.Scheduler1.Error.CoreUnavailable";
inline constexpr const char* kInvalidArgs = "org.freedesktop.DBus.Error.InvalidArgs";
// The bridge could not find out who called or what polkit says: not a refusal, a fault to report.
inline constexpr const char* kAuthorizationFailed = "org.gamesched.Scheduler1.Error.AuthorizationFailed";
}  // namespace error_name

// What a failed core request becomes. about_processes: the request named a process or game of
// the caller (register/unregister), where "not allowed" means "not yours".
[[nodiscard]] sdbus::Error to_bus_error(const ipc::CallError& error, bool about_processes);

}  // namespace gamesched::bus
