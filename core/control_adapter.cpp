#include "core/control_adapter.h"

#include <spdlog/spdlog.h>
#include <time.h>

#include "util/journal.h"
#include "util/log.h"
#include "util/log_rate_limit.h"

namespace gamesched {
namespace {

// Each registration is worth a line, but 10,000 short-lived "games" from a flood of clients are
// not worth 10,000 lines. (Departures are logged where leases end, in the server.)
LogRateLimit registrations("games registered", 30, std::chrono::seconds(10));

}  // namespace

Status ControlAdapter::add_game(pid_t tgid, uid_t owner, const server::GameInfo& info) {
    bool known = state_.games().count(tgid) != 0;
    auto st = state_.add_game(tgid, owner, info.name, info.source, info.app_id);
    if (st && !known && registrations.allow()) {
        std::string since_exec;
        if (auto exec = execs_.exec_ns(tgid)) {
            timespec ts{};
            clock_gettime(CLOCK_MONOTONIC, &ts);
            auto now = static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
            since_exec = fmt::format(", {:.1f} ms after exec", static_cast<double>(now - *exec) / 1e6);
        }
        log_event(spdlog::level::info, message_id::kGameRegistered,
                  fmt::format("game registered: pid {} uid {} \"{}\" ({}, confidence {}){}", tgid, owner,
                              printable(info.name), printable(info.source), info.confidence, since_exec),
                  {{"GAMESCHED_PID", std::to_string(tgid)},
                   {"GAMESCHED_UID", std::to_string(owner)},
                   {"GAMESCHED_GAME_NAME", printable(info.name)},
                   {"GAMESCHED_SOURCE", printable(info.source)}});
    }
    return st;
}

nlohmann::json ControlAdapter::status() {
    nlohmann::json out = state_.to_json();
    out["kernel"] = live_status_();
    return out;
}

Status ControlAdapter::stop_and_stay_off(const std::string& requested_by) {
    stop_(requested_by);
    return Ok{};
}

}  // namespace gamesched
