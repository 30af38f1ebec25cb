#include "helpers/detect/gamemode_watch.h"

#include <sdbus-c++/sdbus-c++.h>

#include <limits>
#include <vector>

#include "helpers/detect/gamemode-proxy.h"
#include "util/log.h"

namespace gamesched::detect {
namespace {

constexpr const char* kName = "com.feralinteractive.GameMode";
constexpr const char* kPath = "/com/feralinteractive/GameMode";

}  // namespace

// Outside the anonymous namespace: Impl, a member of a class with external linkage, holds one.
class GameModeProxy final : public sdbus::ProxyInterfaces<com::feralinteractive::GameMode_proxy> {
public:
    GameModeProxy(sdbus::IConnection& connection, GameModeWatch::Callbacks& callbacks)
        : ProxyInterfaces(connection, kName, kPath), callbacks_(callbacks) {
        registerProxy();
    }
    ~GameModeProxy() { unregisterProxy(); }
    GameModeProxy(const GameModeProxy&) = delete;
    GameModeProxy& operator=(const GameModeProxy&) = delete;

private:
    void onGameRegistered(const int32_t& pid, const sdbus::ObjectPath&) override {
        if (pid > 0) callbacks_.registered(pid);
    }
    void onGameUnregistered(const int32_t& pid, const sdbus::ObjectPath&) override {
        if (pid > 0) callbacks_.unregistered(pid);
    }
    GameModeWatch::Callbacks& callbacks_;
};

struct GameModeWatch::Impl {
    Callbacks callbacks;
    std::unique_ptr<sdbus::IConnection> connection;
    std::unique_ptr<GameModeProxy> gamemode;
    sdbus::Slot owner_match;
    bool running = false;
    bool list_pending = false;  // ListGames is called outside signal dispatch

    void owner_changed(const std::string& new_owner) {
        const bool now_running = !new_owner.empty();
        if (now_running && !running) {
            spdlog::info("GameMode appeared on the session bus; watching its registrations");
            list_pending = true;
        } else if (!now_running && running) {
            spdlog::info("GameMode left the session bus");
        }
        running = now_running;
    }

    void list_games() {
        list_pending = false;
        try {
            for (const auto& game : gamemode->ListGames()) {
                const int32_t pid = game.get<0>();
                if (pid > 0) callbacks.registered(pid);
            }
        } catch (const sdbus::Error& e) {
            spdlog::warn("GameMode ListGames failed ({}); relying on its signals", printable(e.getMessage()));
        }
    }
};

GameModeWatch::GameModeWatch(Passkey, std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GameModeWatch::~GameModeWatch() = default;

Result<std::unique_ptr<GameModeWatch>> GameModeWatch::open(Callbacks callbacks,
                                                           const std::string& bus_address) {
    auto impl = std::make_unique<Impl>();
    impl->callbacks = std::move(callbacks);
    try {
        impl->connection = bus_address.empty() ? sdbus::createSessionBusConnection()
                                               : sdbus::createSessionBusConnectionWithAddress(bus_address);
        Impl* self = impl.get();
        impl->owner_match = impl->connection->addMatch(
            std::string("type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
                        "member='NameOwnerChanged',arg0='") +
                kName + "'",
            [self](sdbus::Message& message) {
                std::string name, old_owner, new_owner;
                message >> name >> old_owner >> new_owner;
                if (name == kName) self->owner_changed(new_owner);
            });
        impl->gamemode = std::make_unique<GameModeProxy>(*impl->connection, impl->callbacks);
        auto bus = sdbus::createProxy(*impl->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus");
        bool has_owner = false;
        bus->callMethod("NameHasOwner")
            .onInterface("org.freedesktop.DBus")
            .withArguments(std::string(kName))
            .storeResultsTo(has_owner);
        impl->running = has_owner;
    } catch (const sdbus::Error& e) {
        return Error::invalid("session bus: " + e.getMessage());
    }
    if (impl->running) {
        impl->list_games();
    } else {
        spdlog::info("GameMode is not running; its registrations will be picked up if it starts");
    }
    return std::make_unique<GameModeWatch>(Passkey{}, std::move(impl));
}

GameModeWatch::PollData GameModeWatch::poll_data() const {
    const auto data = impl_->connection->getEventLoopPollData();
    PollData out{data.fd, data.events, std::nullopt};
    if (data.timeout_usec != std::numeric_limits<uint64_t>::max()) {
        // sd-bus timeouts are CLOCK_MONOTONIC, which is what steady_clock reads on Linux.
        out.deadline = std::chrono::steady_clock::time_point(std::chrono::microseconds(data.timeout_usec));
    }
    return out;
}

Status GameModeWatch::process() {
    try {
        while (impl_->connection->processPendingRequest()) {
        }
        if (impl_->list_pending) impl_->list_games();
    } catch (const sdbus::Error& e) {
        return Error::invalid("session bus: " + e.getMessage());
    }
    return Ok{};
}

bool GameModeWatch::gamemode_running() const {
    return impl_->running;
}

}  // namespace gamesched::detect
