// A real, headless KWin (Debian's kwin_wayland, Plasma 5.27) for integration tests: a private
// session bus, a private XDG_RUNTIME_DIR/HOME, `kwin_wayland --virtual --xwayland --no-lockscreen`
// started from a copy of the binary without its file capability (this machine's bounding set
// refuses cap_sys_resource, so the system binary cannot be executed here), and helpers to start
// Wayland and X11 clients on it.
#pragma once

#include "tests/unit/kwin/child_process.h"
#include "tests/unit/kwin/private_bus.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gamesched::testing {

class RealKWin {
public:
    // Prepares everything but starts no KWin yet. Throws with a clear message when a required
    // program is missing.
    RealKWin();
    ~RealKWin();  // stops KWin and removes what its Xwayland left behind
    RealKWin(const RealKWin&) = delete;
    RealKWin& operator=(const RealKWin&) = delete;

    void start();  // throws when KWin dies during start-up
    void kill();   // SIGKILL, as a crash would; then removes Xwayland's stale lock and socket
    [[nodiscard]] bool running() { return kwin_ && kwin_->running(); }

    // The environment a session client sees (bus, runtime dir, home).
    [[nodiscard]] std::vector<std::string> session_env() const;

    ChildProcess start_wayland_client(const std::vector<std::string>& argv) const;
    // Waits for KWin's Xwayland to accept connections, then starts argv on it.
    ChildProcess start_x11_client(const std::vector<std::string>& argv) const;

    [[nodiscard]] const PrivateBus& bus() const { return bus_; }
    [[nodiscard]] const std::string& runtime_dir() const { return runtime_.path(); }
    [[nodiscard]] std::string log_tail(std::size_t lines = 40) const;

private:
    [[nodiscard]] std::optional<std::string> xwayland_display() const;
    void remove_stale_x11_files();

    TempDir runtime_;
    TempDir home_;
    PrivateBus bus_;
    std::string kwin_copy_;
    std::string log_path_;
    std::unique_ptr<ChildProcess> kwin_;
    mutable std::vector<std::string> displays_seen_;
};

}  // namespace gamesched::testing
