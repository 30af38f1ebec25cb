// Test fixtures: a private session bus (its own dbus-daemon) and a private temporary directory
// (usable as XDG_RUNTIME_DIR: 0700), both removed when the object goes away.
#pragma once

#include "tests/unit/kwin/child_process.h"

#include <memory>
#include <string>

namespace gamesched::testing {

class TempDir {
public:
    TempDir();  // throws on failure: tests cannot go on without it
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
};

class PrivateBus {
public:
    PrivateBus();   // starts dbus-daemon --session; throws on failure
    ~PrivateBus();  // stops the daemon before its socket directory goes
    [[nodiscard]] const std::string& address() const { return address_; }
    [[nodiscard]] std::string env() const { return "DBUS_SESSION_BUS_ADDRESS=" + address_; }

private:
    TempDir socket_dir_;  // the bus socket lives here, not in /tmp
    std::unique_ptr<ChildProcess> daemon_;
    std::string address_;
};

}  // namespace gamesched::testing
