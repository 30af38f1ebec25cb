// gamesched-standin-polkit: org.freedesktop.PolicyKit1's CheckAuthorization on a private test bus,
// answering from a table given on the command line: --allow ACTION:UID says yes; --challenge
// ACTION:UID says "yes after authentication", with no agent to ask; anything else is no.
// --slow ACTION:UID answers that pair only after 3 s, the time a person takes to type a password,
// from this program's own loop, so that a bridge waiting for polkit would visibly stall.
// It also owns org.freedesktop.systemd1 and answers StartUnit (printed, a job path returned), the
// call the bridge's Start() makes. polkitd and systemd need the real system bus (and logind); the
// full-system VM (tests/system) is where the real ones answer. The subject must be a system-bus-name, as
// gamesched-bus sends it; its uid is asked of the bus. Like polkitd, it answers a question about
// another identity's subject only to root and to the action's owners (--owner ACTION:UID, from
// the policy file's org.freedesktop.policykit.owner annotations).
#include <sdbus-c++/sdbus-c++.h>

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace {

using Subject = sdbus::Struct<std::string, std::map<std::string, sdbus::Variant>>;
using AuthResult = sdbus::Struct<bool, bool, std::map<std::string, std::string>>;
using Pending = sdbus::Result<AuthResult>;
using Clock = std::chrono::steady_clock;
using Rule = std::pair<std::string, std::uint32_t>;

constexpr std::chrono::seconds kSlowAnswer{3};

struct Delayed {
    Clock::time_point due;
    std::shared_ptr<Pending> result;
    AuthResult answer;
};

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::set<Rule>> tables;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], rule = argv[i + 1];
        const auto colon = rule.rfind(':');
        if ((flag != "--allow" && flag != "--challenge" && flag != "--slow" && flag != "--owner") ||
            colon == std::string::npos) {
            std::fprintf(
                stderr,
                "usage: gamesched-standin-polkit [--allow|--challenge|--slow|--owner ACTION:UID]...\n");
            return 2;
        }
        tables[flag].emplace(rule.substr(0, colon),
                             static_cast<std::uint32_t>(std::stoul(rule.substr(colon + 1))));
    }
    auto bus = sdbus::createSystemBusConnection("org.freedesktop.PolicyKit1");
    auto daemon = sdbus::createProxy(*bus, "org.freedesktop.DBus", "/org/freedesktop/DBus");
    auto authority = sdbus::createObject(*bus, "/org/freedesktop/PolicyKit1/Authority");
    std::vector<Delayed> delayed;
    authority->registerMethod("CheckAuthorization")
        .onInterface("org.freedesktop.PolicyKit1.Authority")
        .implementedAs([&](Pending&& result, Subject subject, std::string action,
                           std::map<std::string, std::string>, std::uint32_t, std::string) {
            if (std::get<0>(subject) != "system-bus-name") {
                result.returnError(sdbus::Error("org.freedesktop.PolicyKit1.Error.Failed",
                                                "the stand-in only answers for system-bus-name subjects"));
                return;
            }
            const auto uid_of = [&](const std::string& bus_name) {
                std::map<std::string, sdbus::Variant> credentials;
                daemon->callMethod("GetConnectionCredentials")
                    .onInterface("org.freedesktop.DBus")
                    .withArguments(bus_name)
                    .storeResultsTo(credentials);
                return credentials.at("UnixUserID").get<std::uint32_t>();
            };
            const Rule key{action, uid_of(std::get<1>(subject).at("name").get<std::string>())};
            const auto caller = uid_of(authority->getCurrentlyProcessedMessage()->getSender());
            if (caller != 0 && caller != key.second && tables["--owner"].count({action, caller}) == 0) {
                std::printf("CheckAuthorization %s uid %u asked by uid %u, not an owner -> error\n",
                            action.c_str(), key.second, caller);
                std::fflush(stdout);
                result.returnError(
                    sdbus::Error("org.freedesktop.PolicyKit1.Error.NotAuthorized",
                                 "Only trusted callers (e.g. uid 0 or an action owner) can use "
                                 "CheckAuthorization() for subjects belonging to other identities"));
                return;
            }
            const bool slow = tables["--slow"].count(key) > 0;
            const bool yes = tables["--allow"].count(key) > 0 || slow;
            const bool challenge = tables["--challenge"].count(key) > 0;
            std::printf("CheckAuthorization %s uid %u -> %s%s\n", action.c_str(), key.second,
                        yes         ? "yes"
                        : challenge ? "challenge"
                                    : "no",
                        slow ? " (in 3 s)" : "");
            std::fflush(stdout);
            const AuthResult answer{yes, challenge, {}};
            if (slow) {
                delayed.push_back(
                    {Clock::now() + kSlowAnswer, std::make_shared<Pending>(std::move(result)), answer});
            } else {
                result.returnResults(answer);
            }
        });
    // The analyzer loses track of the handler sdbus-c++'s registrator stores and reports a leak.
    authority->finishRegistration();  // NOLINT(clang-analyzer-cplusplus.NewDeleteLeaks)
    bus->requestName("org.freedesktop.systemd1");
    auto manager = sdbus::createObject(*bus, "/org/freedesktop/systemd1");
    manager->registerMethod("StartUnit")
        .onInterface("org.freedesktop.systemd1.Manager")
        .implementedAs([](const std::string& unit, const std::string& mode) {
            std::printf("StartUnit %s %s\n", unit.c_str(), mode.c_str());
            std::fflush(stdout);
            return sdbus::ObjectPath("/org/freedesktop/systemd1/job/1");
        });
    manager->finishRegistration();
    for (;;) {
        while (bus->processPendingRequest()) {
        }
        const auto now = Clock::now();
        for (auto& d : delayed) {
            if (d.result && d.due <= now) std::exchange(d.result, nullptr)->returnResults(d.answer);
        }
        std::erase_if(delayed, [](const Delayed& d) { return !d.result; });
        const auto poll_data = bus->getEventLoopPollData();
        int timeout = poll_data.getPollTimeout();
        for (const auto& d : delayed) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(d.due - now).count();
            timeout = timeout < 0 ? static_cast<int>(left) : std::min(timeout, static_cast<int>(left));
        }
        pollfd fd{poll_data.fd, poll_data.events, 0};
        if (::poll(&fd, 1, timeout) < 0 && errno != EINTR) return 1;
    }
}
