// Who counts as a person: hints that change scheduling for everyone (the focus, games) are taken
// only for uids with a logind session on a seat. Service accounts, subordinate uids of user
// namespaces and daemons have none, so they cannot take the focus or hold games however many
// uids they have. Asked through libsystemd's sd-login, which reads logind's state files: no
// D-Bus in the core.
#pragma once

#include "util/result.h"

#include <sys/types.h>

#include <string>

namespace gamesched::server {

class People {
public:
    // logind_state is a file that exists while logind runs (it always has seat0; the empty
    // directories of /run/systemd may exist without it). Tests may point it elsewhere.
    explicit People(std::string logind_state = "/run/systemd/seats/seat0");

    // Whether logind runs on this system. Without it there are no sessions to ask about, and the
    // rule is off: every uid counts as a person (the only way a system without logind works at
    // all; the core logs it once at start).
    [[nodiscard]] bool logind_running() const;

    // Ok if uid may hold games: root, or a uid with a session on a seat (active or not). The
    // error says why not and what to do.
    [[nodiscard]] Status may_hold_games(uid_t uid) const;
    // Ok if uid may take the focus: root, or a uid whose session is the active one on a seat
    // (the user in front of the screen; a user switched away may not).
    [[nodiscard]] Status may_take_focus(uid_t uid) const;

private:
    [[nodiscard]] Status check(uid_t uid, bool require_active) const;

    std::string logind_state_;
};

}  // namespace gamesched::server
