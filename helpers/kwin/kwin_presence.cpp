#include "helpers/kwin/kwin_presence.h"

#include "helpers/kwin/dbus_error.h"
#include "helpers/kwin/org.freedesktop.DBus_proxy.h"

#include <cstdint>
#include <limits>

namespace gamesched::kwin {
namespace {

class BusDaemonProxy final : public sdbus::ProxyInterfaces<org::freedesktop::DBus_proxy> {
public:
    explicit BusDaemonProxy(sdbus::IConnection& bus)
        : ProxyInterfaces(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus") {
        registerProxy();
    }
    ~BusDaemonProxy() { unregisterProxy(); }
};

}  // namespace

Result<std::unique_ptr<KWinPresence>> KWinPresence::watch(sdbus::IConnection& bus, std::string service,
                                                          Handler handler) {
    auto presence = std::make_unique<KWinPresence>(Token{}, service, std::move(handler));
    const std::string rule =
        "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
        "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='" +
        service + "'";
    try {
        KWinPresence* self = presence.get();
        presence->match_ = bus.addMatch(rule, [self](sdbus::Message& signal) {
            std::string name, old_owner, new_owner;
            signal >> name >> old_owner >> new_owner;
            if (name == self->service_) self->on_owner(new_owner);
        });
    } catch (const sdbus::Error& e) {
        return from_dbus("subscribing to owner changes of " + service, e);
    }

    try {
        BusDaemonProxy daemon(bus);
        presence->owner_ = daemon.GetNameOwner(service);
    } catch (const sdbus::Error& e) {
        if (e.getName() != "org.freedesktop.DBus.Error.NameHasNoOwner") {
            return from_dbus("asking the bus who owns " + service, e);
        }
    }
    return presence;
}

Result<pid_t> KWinPresence::owner_pid(sdbus::IConnection& bus) const {
    if (owner_.empty()) return Error{ESRCH, service_ + " has no owner on the bus"};
    try {
        BusDaemonProxy daemon(bus);
        const std::uint32_t pid = daemon.GetConnectionUnixProcessID(owner_);
        if (pid == 0 || pid > static_cast<std::uint32_t>(std::numeric_limits<pid_t>::max())) {
            return Error::invalid("the bus daemon names no process for " + owner_);
        }
        return static_cast<pid_t>(pid);
    } catch (const sdbus::Error& e) {
        return from_dbus("asking the bus for the process of " + owner_, e);
    }
}

void KWinPresence::on_owner(const std::string& owner) {
    if (owner == owner_) return;
    owner_ = owner;
    handler_(owner_);
}

}  // namespace gamesched::kwin
