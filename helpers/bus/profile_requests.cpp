#include "helpers/bus/profile_requests.h"

#include "helpers/bus/bus_errors.h"
#include "ipc/mlcollect_client.h"

#include <nlohmann/json.hpp>

#include <cerrno>

namespace gamesched::bus {
namespace {

// The bridge answers every caller from one thread: a collector that hangs must not hold the bus
// for long. Profiles are small; the collector answers between its statistics samples.
constexpr std::chrono::seconds kReplyWait{10};

sdbus::Error collector_error(const ipc::CallError& error) {
    switch (error.kind) {
        case ipc::CallFailure::unreachable:
            if (error.error.code == EACCES || error.error.code == EPERM) {
                return sdbus::Error(
                    error_name::kPermissionDenied,
                    "the bridge is " + error.message() + " (is user gamesched-bus in group gamesched?)");
            }
            return sdbus::Error(error_name::kCoreUnavailable,
                                "gamesched-mlcollect is not running: " + error.message());
        case ipc::CallFailure::refused:
            return sdbus::Error(error.error.code == ENOENT || error.error.code == EINVAL
                                    ? error_name::kInvalidArgs
                                    : error_name::kRefused,
                                error.message());
        default:
            return sdbus::Error(error_name::kCoreUnavailable,
                                error.message() + "; see journalctl -u gamesched-mlcollect");
    }
}

}  // namespace

std::string ProfileRequests::ask(const std::string& request, const std::string& game) const {
    nlohmann::json wire = {{"request", request}};
    if (request != "profile_list") {
        if (game.empty())
            throw sdbus::Error(error_name::kInvalidArgs, "name a game: its key or name (ListProfiles)");
        wire["game"] = game;
    }
    auto body = ipc::mlcollect_request(socket_path_, wire, kReplyWait);
    if (!body) throw collector_error(body.error());
    return std::move(*body);
}

std::string ProfileRequests::list() const {
    return ask("profile_list", "");
}

std::string ProfileRequests::show(const std::string& game) const {
    return ask("profile_show", game);
}

void ProfileRequests::set_pinned(const std::string& game, bool pinned) const {
    (void)ask(pinned ? "profile_pin" : "profile_unpin", game);
}

void ProfileRequests::reset(const std::string& game) const {
    (void)ask("profile_reset", game);
}

}  // namespace gamesched::bus
