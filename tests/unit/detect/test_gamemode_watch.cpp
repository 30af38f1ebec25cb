// GameModeWatch against a private dbus-daemon this test starts, with a stand-in GameMode
// service built from an adaptor generated from the same gamemode.xml the watcher's proxy uses.
#include <catch2/catch_test_macros.hpp>

#include <poll.h>
#include <signal.h>

#include <sdbus-c++/sdbus-c++.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "helpers/detect/gamemode_watch.h"
#include "tests/unit/detect/fake_proc.h"
#include "tests/unit/detect/gamemode-adaptor.h"

using namespace gamesched::detect;
using namespace std::chrono_literals;
using gamesched::detect::testing::TempDir;

namespace {

constexpr const char* kName = "com.feralinteractive.GameMode";
constexpr const char* kPath = "/com/feralinteractive/GameMode";

// A session-type bus with no service directories except ours: activating GameMode runs
// `touch <dir>/activated`, so a test can see whether anything tried to start it.
class PrivateBus {
public:
    PrivateBus() {
        dir_.write("services/com.feralinteractive.GameMode.service",
                   "[D-BUS Service]\nName=com.feralinteractive.GameMode\nExec=/usr/bin/touch " +
                       (dir_.path() / "activated").string() + "\n");
        dir_.write("bus.conf", "<busconfig><type>session</type><listen>unix:tmpdir=" + dir_.path().string() +
                                   "</listen><servicedir>" + (dir_.path() / "services").string() +
                                   "</servicedir><policy context=\"default\"><allow send_destination=\"*\"/>"
                                   "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n");
        const std::string command = "dbus-daemon --config-file=" + (dir_.path() / "bus.conf").string() +
                                    " --fork --nopidfile --print-address=1 --print-pid=1";
        FILE* out = ::popen(command.c_str(), "r");
        REQUIRE(out != nullptr);
        char address[512] = {};
        long pid = 0;
        const bool read_ok =
            std::fgets(address, sizeof address, out) != nullptr && std::fscanf(out, "%ld", &pid) == 1;
        ::pclose(out);
        REQUIRE(read_ok);
        address_ = address;
        address_.erase(address_.find_last_not_of("\n") + 1);
        pid_ = static_cast<pid_t>(pid);
        REQUIRE(pid_ > 0);
    }
    ~PrivateBus() { ::kill(pid_, SIGTERM); }
    const std::string& address() const { return address_; }
    bool activation_attempted() const { return std::filesystem::exists(dir_.path() / "activated"); }

private:
    TempDir dir_;
    std::string address_;
    pid_t pid_ = 0;
};

class FakeGameMode final : public sdbus::AdaptorInterfaces<com::feralinteractive::GameMode_adaptor> {
public:
    FakeGameMode(sdbus::IConnection& connection, std::vector<int32_t> games)
        : AdaptorInterfaces(connection, kPath), games_(std::move(games)) {
        registerAdaptor();
    }
    ~FakeGameMode() { unregisterAdaptor(); }
    FakeGameMode(const FakeGameMode&) = delete;
    FakeGameMode& operator=(const FakeGameMode&) = delete;

private:
    std::vector<sdbus::Struct<int32_t, sdbus::ObjectPath>> ListGames() override {
        std::vector<sdbus::Struct<int32_t, sdbus::ObjectPath>> out;
        for (int32_t pid : games_)
            out.emplace_back(pid, sdbus::ObjectPath(std::string(kPath) + "/Games/" + std::to_string(pid)));
        return out;
    }
    std::vector<int32_t> games_;
};

// GameMode on its own connection, served by sdbus-c++'s own thread.
struct RunningGameMode {
    std::unique_ptr<sdbus::IConnection> connection;
    std::unique_ptr<FakeGameMode> service;
    RunningGameMode(const std::string& address, std::vector<int32_t> games)
        : connection(sdbus::createSessionBusConnectionWithAddress(address)),
          service(std::make_unique<FakeGameMode>(*connection, std::move(games))) {
        connection->requestName(kName);
        connection->enterEventLoopAsync();
    }
    ~RunningGameMode() {
        connection->leaveEventLoop();
        service.reset();
    }
};

struct Seen {
    std::vector<pid_t> registered;
    std::vector<pid_t> unregistered;
};

std::unique_ptr<GameModeWatch> open_watch(const PrivateBus& bus, Seen& seen) {
    auto watch = GameModeWatch::open({[&seen](pid_t pid) { seen.registered.push_back(pid); },
                                      [&seen](pid_t pid) { seen.unregistered.push_back(pid); }},
                                     bus.address());
    REQUIRE(watch.ok());
    return std::move(*watch);
}

// Runs the watcher the way the service loop does until `done` holds (bounded, not timed).
template <typename Done>
bool pump_until(GameModeWatch& watch, Done done) {
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (!done()) {
        if (std::chrono::steady_clock::now() > give_up) return false;
        const auto data = watch.poll_data();
        pollfd fd{data.fd, data.events, 0};
        ::poll(&fd, 1, 100);
        REQUIRE(watch.process().ok());
    }
    return true;
}

bool contains(const std::vector<pid_t>& pids, pid_t pid) {
    return std::find(pids.begin(), pids.end(), pid) != pids.end();
}

}  // namespace

TEST_CASE("GameModeWatch: games listed when GameMode appears, then its signals", "[gamemode]") {
    PrivateBus bus;
    Seen seen;
    auto watch = open_watch(bus, seen);
    CHECK_FALSE(watch->gamemode_running());
    CHECK(seen.registered.empty());

    RunningGameMode gamemode(bus.address(), {111, 222});
    REQUIRE(pump_until(*watch, [&] { return seen.registered.size() == 2; }));
    CHECK(seen.registered == std::vector<pid_t>{111, 222});
    CHECK(watch->gamemode_running());

    gamemode.service->emitGameRegistered(333, sdbus::ObjectPath(std::string(kPath) + "/Games/333"));
    REQUIRE(pump_until(*watch, [&] { return contains(seen.registered, 333); }));
    gamemode.service->emitGameUnregistered(222, sdbus::ObjectPath(std::string(kPath) + "/Games/222"));
    REQUIRE(pump_until(*watch, [&] { return !seen.unregistered.empty(); }));
    CHECK(seen.unregistered == std::vector<pid_t>{222});

    gamemode.connection->releaseName(kName);
    REQUIRE(pump_until(*watch, [&] { return !watch->gamemode_running(); }));
}

TEST_CASE("GameModeWatch: a GameMode already running is listed at open", "[gamemode]") {
    PrivateBus bus;
    RunningGameMode gamemode(bus.address(), {4242});
    Seen seen;
    auto watch = open_watch(bus, seen);
    CHECK(watch->gamemode_running());
    CHECK(seen.registered == std::vector<pid_t>{4242});
}

TEST_CASE("GameModeWatch: never starts GameMode through D-Bus activation", "[gamemode]") {
    PrivateBus bus;
    Seen seen;
    auto watch = open_watch(bus, seen);
    REQUIRE(watch->process().ok());
    CHECK_FALSE(bus.activation_attempted());

    // Control: a plain call to GameMode does activate it, so the check above can fail.
    auto connection = sdbus::createSessionBusConnectionWithAddress(bus.address());
    auto proxy = sdbus::createProxy(*connection, kName, kPath);
    CHECK_THROWS_AS(
        proxy->callMethod("ListGames").onInterface(kName).withTimeout(5s).storeResultsTo(seen.registered),
        sdbus::Error);
    CHECK(bus.activation_attempted());
}

TEST_CASE("GameModeWatch: no session bus is an error the caller can log", "[gamemode]") {
    auto watch =
        GameModeWatch::open({[](pid_t) {}, [](pid_t) {}}, "unix:path=/nonexistent/gamesched-test-bus");
    REQUIRE_FALSE(watch.ok());
    CHECK(watch.error().message.find("session bus") != std::string::npos);
}
