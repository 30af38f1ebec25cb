// Observes Feral GameMode on the session bus: the games it lists when it appears, and its
// GameRegistered/GameUnregistered signals. Never owns its name, never registers anything, and
// never starts it: a call goes out only while the name has an owner (ListGames would otherwise
// D-Bus-activate gamemoded). Runs on the caller's event loop, no thread of its own.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "util/result.h"

namespace gamesched::detect {

class GameModeWatch {
public:
    struct Callbacks {
        std::function<void(pid_t)> registered;
        std::function<void(pid_t)> unregistered;
    };
    struct PollData {
        int fd = -1;
        short events = 0;
        std::optional<std::chrono::steady_clock::time_point> deadline;
    };

    // Connects to the session bus ($DBUS_SESSION_BUS_ADDRESS, or the one given). An Error means
    // there is no usable session bus; the caller logs that once and goes on without GameMode.
    static Result<std::unique_ptr<GameModeWatch>> open(Callbacks callbacks,
                                                       const std::string& bus_address = {});
    ~GameModeWatch();
    GameModeWatch(const GameModeWatch&) = delete;
    GameModeWatch& operator=(const GameModeWatch&) = delete;

    [[nodiscard]] PollData poll_data() const;
    // Dispatches everything the bus connection has ready. An Error means the bus is gone.
    Status process();
    [[nodiscard]] bool gamemode_running() const;

    struct Impl;
    struct Passkey {  // only open() can construct
    private:
        Passkey() = default;
        friend class GameModeWatch;
    };
    GameModeWatch(Passkey, std::unique_ptr<Impl> impl);

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace gamesched::detect
