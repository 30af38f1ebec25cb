// One report from the KWin script: the process owning the newly active window.
#pragma once

#include <sys/types.h>

#include <string>

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

}  // namespace gamesched::kwin
