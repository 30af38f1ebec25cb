// One report from the KWin script: the process owning the newly active window.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace gamesched::kwin {

// The names the KWin script (focus.js) and the helper agree on.
inline constexpr const char* kBusName = "org.gamesched.KWinFocus";
inline constexpr const char* kObjectPath = "/org/gamesched/KWinFocus";
inline constexpr const char* kKWinService = "org.kde.KWin";
inline constexpr const char* kPluginName = "gamesched-focus";

struct FocusReport {
    pid_t pid = 0;  // 0: KWin does not know the window's process (an X11 window without _NET_WM_PID)
    std::string resource_class;  // untrusted text, for humans only
};

// Any client of the compositor names its own window class, so it is bounded before it is kept.
inline constexpr std::size_t kMaxResourceClassBytes = 256;

// The report a FocusChanged(pid, resource_class) callback stands for: a pid KWin could not tell
// (<= 0) becomes 0, the class is cut to kMaxResourceClassBytes (never inside a UTF-8 sequence).
FocusReport report_from_callback(std::int32_t pid, std::string_view resource_class);

}  // namespace gamesched::kwin
