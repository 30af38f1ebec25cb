// KWin's script manager (org.kde.KWin /Scripting) seen from the helper: load our script, run
// it, unload it. The per-script object is /Scripting/Script<id> on Plasma 6 and /<id> on
// Plasma 5; the first run finds out which one this KWin has.
#pragma once

#include "util/result.h"

#include <sdbus-c++/IConnection.h>

#include <optional>
#include <string>

namespace gamesched::kwin {

struct LoadedScript {
    int id = -1;
    std::string object_path;  // where run() succeeded
};

class KWinScripts {
public:
    KWinScripts(sdbus::IConnection& bus, std::string service) : bus_(bus), service_(std::move(service)) {}

    // unloadScript(name) to drop a stale copy (an earlier instance that crashed), then
    // loadScript(path, name) and run() on the script's object.
    Result<LoadedScript> load_and_run(const std::string& path, const std::string& name);

    Status unload(const std::string& name);

private:
    Status run(const std::string& object_path);

    sdbus::IConnection& bus_;
    std::string service_;
    std::optional<bool> plasma6_layout_;  // learned on the first successful run
};

}  // namespace gamesched::kwin
