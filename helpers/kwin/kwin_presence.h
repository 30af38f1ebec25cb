// Follows who owns org.kde.KWin on the session bus. The bus daemon tells us (a NameOwnerChanged
// match on that one name), so waiting for KWin costs nothing.
#pragma once

#include "util/result.h"

#include <sdbus-c++/sdbus-c++.h>
#include <sys/types.h>

#include <functional>
#include <string>

namespace gamesched::kwin {

class KWinPresence {
public:
    // owner is KWin's unique name, or empty when KWin left the bus.
    using Handler = std::function<void(const std::string& owner)>;

    // Subscribes first and asks second, so an owner change in between is not missed.
    static Result<std::unique_ptr<KWinPresence>> watch(sdbus::IConnection& bus, std::string service,
                                                       Handler handler);

    [[nodiscard]] const std::string& owner() const { return owner_; }
    // The process behind the owner, as the bus daemon knows it from the connection's socket
    // (SO_PEERCRED): KWin itself, never a claim KWin makes.
    [[nodiscard]] Result<pid_t> owner_pid(sdbus::IConnection& bus) const;

private:
    struct Token {
        explicit Token() = default;
    };

public:
    KWinPresence(Token, std::string service, Handler handler)
        : service_(std::move(service)), handler_(std::move(handler)) {}

private:
    void on_owner(const std::string& owner);

    std::string service_;
    Handler handler_;
    std::string owner_;
    sdbus::Slot match_;
};

}  // namespace gamesched::kwin
