#include "helpers/bus/bus_peers.h"

#include <sdbus-c++/sdbus-c++.h>

#include <chrono>
#include <map>

namespace gamesched::bus {
namespace {

// polkit may wait for a person typing a password; the bus daemon answers at once.
constexpr std::chrono::seconds kAuthorizationTimeout{120};
constexpr std::chrono::seconds kBusDaemonTimeout{5};

using Subject = sdbus::Struct<std::string, std::map<std::string, sdbus::Variant>>;
using AuthorizationResult = sdbus::Struct<bool, bool, std::map<std::string, std::string>>;

}  // namespace

Result<Caller> identify_caller(sdbus::IConnection& bus, const std::string& sender) {
    try {
        auto daemon = sdbus::createProxy(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus");
        std::map<std::string, sdbus::Variant> credentials;
        daemon->callMethod("GetConnectionCredentials")
            .onInterface("org.freedesktop.DBus")
            .withTimeout(kBusDaemonTimeout)
            .withArguments(sender)
            .storeResultsTo(credentials);
        const auto uid = credentials.find("UnixUserID");
        if (uid == credentials.end()) return Error{EPERM, "the bus did not say which user " + sender + " is"};
        Caller caller{sender, uid->second.get<std::uint32_t>(), 0};
        if (const auto pid = credentials.find("ProcessID"); pid != credentials.end()) {
            caller.pid = static_cast<pid_t>(pid->second.get<std::uint32_t>());
        }
        return caller;
    } catch (const sdbus::Error& e) {
        return Error{EIO, "asking the bus who " + sender + " is: " + e.getName() + ": " + e.getMessage()};
    }
}

Authority::Authority(sdbus::IConnection& bus)
    : proxy_(sdbus::createProxy(bus, "org.freedesktop.PolicyKit1", "/org/freedesktop/PolicyKit1/Authority")) {
}

Authority::~Authority() = default;

void Authority::check(const Caller& caller, const std::string& action_id, Callback done) {
    const Subject subject{"system-bus-name", {{"name", sdbus::Variant(caller.bus_name)}}};
    const std::map<std::string, std::string> details;
    constexpr std::uint32_t kAllowUserInteraction = 1;
    try {
        proxy_->callMethodAsync("CheckAuthorization")
            .onInterface("org.freedesktop.PolicyKit1.Authority")
            .withTimeout(kAuthorizationTimeout)
            .withArguments(subject, action_id, details, kAllowUserInteraction, std::string())
            .uponReplyInvoke([done, action_id](const sdbus::Error* error, const AuthorizationResult& result) {
                if (error != nullptr) {
                    done(Error{EIO, "asking polkit about " + action_id + ": " + error->getName() + ": " +
                                        error->getMessage()});
                    return;
                }
                const auto& polkit_details = std::get<2>(result);
                const auto dismissed = polkit_details.find("polkit.dismissed");
                done(Verdict{std::get<0>(result), std::get<1>(result),
                             dismissed == polkit_details.end() ? std::string() : dismissed->second});
            });
    } catch (const sdbus::Error& e) {
        done(Error{EIO, "asking polkit about " + action_id + ": " + e.getName() + ": " + e.getMessage()});
    }
}

}  // namespace gamesched::bus
