#include "helpers/kwin/kwin_scripts.h"

#include "helpers/kwin/dbus_error.h"
#include "helpers/kwin/org.kde.kwin.Script_proxy.h"
#include "helpers/kwin/org.kde.kwin.Scripting_proxy.h"
#include "util/log.h"

#include <sdbus-c++/sdbus-c++.h>

namespace gamesched::kwin {
namespace {

class ScriptingProxy final : public sdbus::ProxyInterfaces<org::kde::kwin::Scripting_proxy> {
public:
    ScriptingProxy(sdbus::IConnection& bus, std::string service)
        : ProxyInterfaces(bus, std::move(service), "/Scripting") {
        registerProxy();
    }
    ~ScriptingProxy() { unregisterProxy(); }
};

class ScriptProxy final : public sdbus::ProxyInterfaces<org::kde::kwin::Script_proxy> {
public:
    ScriptProxy(sdbus::IConnection& bus, std::string service, std::string path)
        : ProxyInterfaces(bus, std::move(service), std::move(path)) {
        registerProxy();
    }
    ~ScriptProxy() { unregisterProxy(); }
};

std::string plasma6_path(int id) {
    // Appending rather than "literal" + string: GCC 12 at -O3 reports a bogus -Wrestrict on the latter.
    std::string path = "/Scripting/Script";
    path += std::to_string(id);
    return path;
}
std::string plasma5_path(int id) {
    std::string path = "/";
    path += std::to_string(id);
    return path;
}

}  // namespace

Status KWinScripts::unload(const std::string& name) {
    try {
        ScriptingProxy scripting(bus_, service_);
        const bool unloaded = scripting.unloadScript(name);
        spdlog::debug("unloadScript({}) -> {}", name, unloaded);
        return Ok{};
    } catch (const sdbus::Error& e) {
        return from_dbus("unloading KWin script " + name, e);
    }
}

Status KWinScripts::run(const std::string& object_path) {
    try {
        ScriptProxy script(bus_, service_, object_path);
        script.run();
        return Ok{};
    } catch (const sdbus::Error& e) {
        if (is_missing_object(e)) return Error{ENOENT, object_path + " does not exist"};
        return from_dbus("running KWin script " + object_path, e);
    }
}

Result<LoadedScript> KWinScripts::load_and_run(const std::string& path, const std::string& name) {
    if (auto s = unload(name); !s) return s.error();

    LoadedScript loaded;
    try {
        ScriptingProxy scripting(bus_, service_);
        loaded.id = scripting.loadScript(path, name);
    } catch (const sdbus::Error& e) {
        return from_dbus("loading KWin script " + path, e);
    }
    spdlog::debug("loadScript({}, {}) -> {}", path, name, loaded.id);
    if (loaded.id < 0) {
        return Error::invalid("KWin refused to load " + path + " as " + name +
                              " (already loaded by someone else?)");
    }

    // Plasma 6 first unless this KWin already showed it is Plasma 5.
    const bool try_plasma6_first = plasma6_layout_.value_or(true);
    const std::string first = try_plasma6_first ? plasma6_path(loaded.id) : plasma5_path(loaded.id);
    const std::string second = try_plasma6_first ? plasma5_path(loaded.id) : plasma6_path(loaded.id);
    for (const std::string& object_path : {first, second}) {
        auto status = run(object_path);
        if (status) {
            plasma6_layout_ = object_path.starts_with("/Scripting/");
            loaded.object_path = object_path;
            spdlog::debug("ran {} ({} layout)", object_path, *plasma6_layout_ ? "Plasma 6" : "Plasma 5");
            return loaded;
        }
        if (status.error().code != ENOENT) return status.error();
        spdlog::debug("{}", status.error().message);
    }
    return Error::invalid("KWin loaded script " + std::to_string(loaded.id) + " but neither " + first +
                          " nor " + second + " exists; unsupported KWin version");
}

}  // namespace gamesched::kwin
