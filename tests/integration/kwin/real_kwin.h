// A real, headless KWin for integration tests: a private session bus, a private
// XDG_RUNTIME_DIR/HOME, `kwin_wayland --virtual --xwayland --no-lockscreen`, and helpers to start
// Wayland and X11 clients on it. Two releases:
// - Plasma 5: this machine's (bookworm) kwin_wayland 5.27, started from a copy of the binary
//   without its file capability (this machine's bounding set refuses cap_sys_resource, so the
//   system binary cannot be executed here);
// - Plasma 6: Debian trixie's kwin_wayland 6.x, from a cached trixie root filesystem
//   (trixie-root.sh) entered through a private mount namespace and a chroot (enter-root.sh).
//   Only KWin and its Xwayland run inside; the bus, the helper and the clients are this
//   machine's, talking to KWin through the sockets both sides see (/tmp is shared): D-Bus and
//   Wayland and X11 are wire protocols, so bookworm-built clients need no trixie libraries.
#pragma once

#include "tests/unit/kwin/child_process.h"
#include "tests/unit/kwin/private_bus.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gamesched::testing {

enum class Plasma { five, six };

class RealKWin {
public:
    // Prepares everything (for Plasma 6, builds the trixie root on first use) but starts no KWin
    // yet. Throws with a clear message when a required program is missing.
    explicit RealKWin(Plasma release);
    ~RealKWin();  // stops KWin and removes what its Xwayland left behind
    RealKWin(const RealKWin&) = delete;
    RealKWin& operator=(const RealKWin&) = delete;

    void start();  // throws when KWin dies during start-up
    void kill();   // SIGKILL, as a crash would; then removes Xwayland's stale lock and socket
    [[nodiscard]] bool running() { return kwin_ && kwin_->running(); }

    // The environment a session client sees (bus, runtime dir, home).
    [[nodiscard]] std::vector<std::string> session_env() const;

    ChildProcess start_wayland_client(const std::vector<std::string>& argv) const;
    // Waits for KWin's X11 display to accept connections, then starts argv on it.
    ChildProcess start_x11_client(const std::vector<std::string>& argv) const;
    // The display (":<n>") KWin serves X11 clients on, once it has one.
    [[nodiscard]] std::optional<std::string> x11_display() const;
    // Waits for it to accept connections; throws when it does not come.
    [[nodiscard]] std::string wait_for_x11_display() const;

    [[nodiscard]] const PrivateBus& bus() const { return bus_; }
    [[nodiscard]] const std::string& runtime_dir() const { return runtime_.path(); }
    [[nodiscard]] std::string log_tail(std::size_t lines = 40) const;

private:
    void remove_stale_x11_files();

    TempDir runtime_;
    TempDir home_;
    PrivateBus bus_;
    std::vector<std::string> kwin_command_;  // the program and what runs it (enter-root.sh)
    std::string log_path_;
    std::unique_ptr<ChildProcess> kwin_;
    mutable std::vector<std::string> displays_seen_;
};

}  // namespace gamesched::testing
