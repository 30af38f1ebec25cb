#include "helpers/common/systemd_units.h"

#include <sdbus-c++/sdbus-c++.h>

namespace gamesched {

Result<std::string> start_unit(sdbus::IConnection& system_bus, const std::string& unit) {
    try {
        auto manager =
            sdbus::createProxy(system_bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1");
        sdbus::ObjectPath job;
        manager->callMethod("StartUnit")
            .onInterface("org.freedesktop.systemd1.Manager")
            .withArguments(unit, std::string("replace"))
            .storeResultsTo(job);
        return std::string(job);
    } catch (const sdbus::Error& e) {
        return Error{EPERM, "systemd did not start " + unit + " (" + e.getName() + ": " + e.getMessage() +
                                "); as root: systemctl start " + unit};
    }
}

}  // namespace gamesched
