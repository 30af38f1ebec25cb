// The process behind the active X11 window, asked of the X server (Xwayland) itself.
//
// KWin's script API knows an X11 window's process only when the client announces it in
// _NET_WM_PID (Wine does; xlogo, xmessage and many older toolkits do not), and then reports pid 0.
// The X server knows better: it took the peer credentials of every local client connection and
// hands them out through the X Resource extension (XResQueryClientIds, LocalClientPID, XRes
// 1.2). So for such a window the helper asks the X server named by $DISPLAY which window is
// active (_NET_ACTIVE_WINDOW, which KWin maintains as the X11 window manager), checks that its
// WM_CLASS is the one KWin reported, and which client owns it.
#pragma once

#include "util/result.h"

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>

namespace gamesched::kwin {

class WindowPidLookup {
public:
    virtual ~WindowPidLookup() = default;
    // The pid of the client owning the active X11 window, provided that window's WM_CLASS class
    // is resource_class (KWin's name for it); an error saying why not otherwise.
    virtual Result<pid_t> active_x11_window_pid(std::string_view resource_class) = 0;
};

class XResWindowPidLookup final : public WindowPidLookup {
public:
    // display: an X display name ("" = none known: every lookup fails, saying so). Each lookup
    // opens its own short connection, so a restarted Xwayland is picked up by the next one.
    explicit XResWindowPidLookup(std::string display,
                                 std::chrono::milliseconds reply_timeout = std::chrono::milliseconds(500))
        : display_(std::move(display)), reply_timeout_(reply_timeout) {}

    Result<pid_t> active_x11_window_pid(std::string_view resource_class) override;

private:
    std::string display_;
    std::chrono::milliseconds reply_timeout_;
};

}  // namespace gamesched::kwin
