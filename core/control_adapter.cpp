#include "core/control_adapter.h"

#include <spdlog/spdlog.h>
#include <time.h>

#include "util/log.h"

namespace gamesched {

Status ControlAdapter::add_game(pid_t tgid, uid_t owner, const server::GameInfo& info) {
    bool known = state_.games().count(tgid) != 0;
    auto st = state_.add_game(tgid, owner, info.name, info.source, info.app_id);
    if (st && !known) {
        std::string since_exec;
        if (auto exec = execs_.exec_ns(tgid)) {
            timespec ts{};
            clock_gettime(CLOCK_MONOTONIC, &ts);
            auto now = static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
            since_exec = fmt::format(", {:.1f} ms after exec", static_cast<double>(now - *exec) / 1e6);
        }
        spdlog::info("game registered: pid {} uid {} \"{}\" ({}, confidence {}){}", tgid, owner,
                     printable(info.name), printable(info.source), info.confidence, since_exec);
    }
    return st;
}

nlohmann::json ControlAdapter::status() {
    nlohmann::json out = state_.to_json();
    out["kernel"] = live_status_();
    return out;
}

}  // namespace gamesched
