// The two questions the bridge asks other services on the system bus before acting for a caller:
// who is calling (the bus daemon's GetConnectionCredentials, never an argument), and may they
// (polkit's CheckAuthorization with a system-bus-name subject, which is not open to the PID
// reuse race of a unix-process subject).
#pragma once

#include "util/result.h"

#include <sdbus-c++/IConnection.h>
#include <sdbus-c++/IProxy.h>

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>

namespace gamesched::bus {

struct Caller {
    std::string bus_name;  // unique name, e.g. ":1.42"
    uid_t uid = 0;
    pid_t pid = 0;
};

// Asks the bus daemon; it answers at once (bounded wait).
[[nodiscard]] Result<Caller> identify_caller(sdbus::IConnection& bus, const std::string& sender);

struct Verdict {
    bool authorized = false;
    bool challenge = false;  // polkit would have allowed it after authentication nobody gave
    std::string dismissed;   // polkit's reason when an authentication dialog was dismissed
};

// polkit's authority, asked without blocking: an auth_admin_keep action may wait minutes for a
// person typing a password, and the bridge keeps serving everyone else meanwhile. The answer
// arrives through the bus connection's own event loop.
class Authority {
public:
    using Callback = std::function<void(Result<Verdict>)>;

    explicit Authority(sdbus::IConnection& bus);
    ~Authority();
    Authority(const Authority&) = delete;
    Authority& operator=(const Authority&) = delete;

    // Interactive: an authentication agent of the caller's session may ask for a password.
    // done runs exactly once, from the event loop, with polkit's verdict or why it could not be
    // asked.
    void check(const Caller& caller, const std::string& action_id, Callback done);

private:
    std::unique_ptr<sdbus::IProxy> proxy_;
};

}  // namespace gamesched::bus
