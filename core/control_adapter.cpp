#include "core/control_adapter.h"

#include <spdlog/spdlog.h>

#include "util/log.h"

namespace gamesched {

Status ControlAdapter::add_game(pid_t tgid, uid_t owner, const server::GameInfo& info) {
    bool known = state_.games().count(tgid) != 0;
    auto st = state_.add_game(tgid, owner, info.name, info.source);
    if (st && !known) {
        spdlog::info("game registered: pid {} uid {} \"{}\" ({}, confidence {})", tgid, owner,
                     printable(info.name), printable(info.source), info.confidence);
    }
    return st;
}

nlohmann::json ControlAdapter::status() {
    nlohmann::json out = state_.to_json();
    out["kernel"] = live_status_();
    return out;
}

}  // namespace gamesched
