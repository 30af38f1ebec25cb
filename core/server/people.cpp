#include "core/server/people.h"

#include <systemd/sd-login.h>
#include <unistd.h>

namespace gamesched::server {

People::People(std::string logind_state) : logind_state_(std::move(logind_state)) {}

bool People::logind_running() const {
    return access(logind_state_.c_str(), F_OK) == 0;
}

Status People::check(uid_t uid, bool require_active) const {
    if (uid == 0 || !logind_running()) return Ok{};
    const int seats = sd_uid_get_seats(uid, require_active ? 1 : 0, nullptr);
    if (seats > 0) return Ok{};
    if (seats < 0 && seats != -ENXIO && seats != -ENOENT) {
        return Error{-seats, "asking logind about uid " + std::to_string(uid) + " failed"};
    }
    const std::string who = "uid " + std::to_string(uid);
    if (require_active) {
        return Error{EACCES, who +
                                 " is not the active session on a seat; the focus follows the person in "
                                 "front of the screen (log in at a seat, or switch to this user)"};
    }
    return Error{EACCES, who +
                             " has no login session on a seat (a service account or a daemon?); games are "
                             "only taken from people logged in at a seat"};
}

Status People::may_hold_games(uid_t uid) const {
    return check(uid, false);
}

Status People::may_take_focus(uid_t uid) const {
    return check(uid, true);
}

}  // namespace gamesched::server
