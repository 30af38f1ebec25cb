// gamesched focus reporter. gamesched-kwin copies this file to $XDG_RUNTIME_DIR and loads it into
// KWin; it reports the active window's process to the helper's session-bus object.
// Works with Plasma 5 (clientActivated/activeClient) and Plasma 6 (windowActivated/activeWindow).

const SERVICE = "org.gamesched.KWinFocus";
const PATH = "/org/gamesched/KWinFocus";
const INTERFACE = "org.gamesched.KWinFocus1";

function report(window) {
    // Focus that goes nowhere (the desktop, between two windows) is not a change worth sending.
    if (!window) {
        return;
    }
    // KWin knows no pid for some windows (Xwayland clients without _NET_WM_PID): 0, the helper's
    // "unknown", rather than a value D-Bus cannot marshal.
    const pid = Number.isInteger(window.pid) && window.pid > 0 ? window.pid : 0;
    const resourceClass = window.resourceClass ? String(window.resourceClass) : "";
    callDBus(SERVICE, PATH, INTERFACE, "FocusChanged", pid, resourceClass);
}

if (workspace.windowActivated !== undefined) {
    workspace.windowActivated.connect(report);
    report(workspace.activeWindow);
} else {
    workspace.clientActivated.connect(report);
    report(workspace.activeClient);
}
