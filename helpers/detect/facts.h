// Facts derived from a process and its ancestors that are code, not rule data: where the Steam
// app id lives, and what to call a game.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "helpers/detect/match_context.h"

namespace gamesched::detect {

// A positive decimal number; "0" and anything else is no app id (Heroic runs Proton games with
// SteamAppId=0 and SteamGameId=heroic-<name>).
std::optional<std::uint64_t> parse_app_id(const std::string& text);

// The Steam app id of the process at `level`, from (first hit wins):
//   1. its environment: SteamAppId, SteamGameId, STEAM_GAME;
//   2. the nearest ancestor "reaper SteamLaunch AppId=<id> ... --";
//   3. a systemd scope "app-steam-app<id>-<pid>.scope" in its cgroup path.
std::optional<std::uint64_t> steam_app_id(MatchContext& ctx, std::size_t level = 0);

// MangoHud, the frame-time overlay players put on their games, on this process: asked for in its
// environment (MANGOHUD set and not 0 enables its Vulkan layer, unless DISABLE_MANGOHUD=1; the
// `mangohud` wrapper preloads it, so LD_PRELOAD names libMangoHud) or its library mapped.
// nullopt: nothing said yes and the environment or the mappings could not be read.
std::optional<bool> mangohud_present(const ProcessInfo& info);

// The Wine program without ".exe", else the executable's basename, else comm.
std::string display_name(const ProcessInfo& info);

}  // namespace gamesched::detect
