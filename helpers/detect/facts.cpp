#include "helpers/detect/facts.h"

#include <charconv>

namespace gamesched::detect {
namespace {

bool is_steam_reaper(const ProcessInfo& info) {
    if (info.exe_name != "reaper" && info.comm != "reaper") return false;
    for (const auto& arg : info.args) {
        if (arg == "SteamLaunch") return true;
    }
    return false;
}

std::optional<std::uint64_t> reaper_app_id(const ProcessInfo& reaper) {
    constexpr std::string_view kPrefix = "AppId=";
    for (const auto& arg : reaper.args) {
        if (arg == "--") break;  // what follows is the launched command, not reaper's options
        if (arg.starts_with(kPrefix)) return parse_app_id(arg.substr(kPrefix.size()));
    }
    return std::nullopt;
}

std::optional<std::uint64_t> scope_app_id(const std::string& cgroup) {
    constexpr std::string_view kMarker = "app-steam-app";
    const auto at = cgroup.find(kMarker);
    if (at == std::string::npos) return std::nullopt;
    const auto digits_start = at + kMarker.size();
    const auto digits_end = cgroup.find('-', digits_start);
    if (digits_end == std::string::npos) return std::nullopt;
    return parse_app_id(cgroup.substr(digits_start, digits_end - digits_start));
}

}  // namespace

std::optional<std::uint64_t> parse_app_id(const std::string& text) {
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty() || value == 0) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::uint64_t> steam_app_id(MatchContext& ctx, std::size_t level) {
    const ProcessInfo* subject = ctx.at(level);
    if (subject == nullptr) return std::nullopt;
    for (const char* name : {"SteamAppId", "SteamGameId", "STEAM_GAME"}) {
        if (const std::string* value = subject->env(name)) {
            if (auto id = parse_app_id(*value)) return id;
        }
    }
    for (std::size_t up = level + 1; const ProcessInfo* ancestor = ctx.at(up); ++up) {
        if (is_steam_reaper(*ancestor)) return reaper_app_id(*ancestor);
    }
    return scope_app_id(subject->cgroup);
}

std::optional<bool> mangohud_present(const ProcessInfo& info) {
    if (info.mangohud_loaded.value_or(false)) return true;
    if (info.environ) {
        const std::string* preload = info.env("LD_PRELOAD");
        if (preload != nullptr && preload->find("libMangoHud") != std::string::npos) return true;
        const std::string* enable = info.env("MANGOHUD");
        const std::string* disable = info.env("DISABLE_MANGOHUD");
        if (enable != nullptr && !enable->empty() && *enable != "0" &&
            (disable == nullptr || *disable != "1")) {
            return true;
        }
    }
    if (!info.environ || !info.mangohud_loaded) return std::nullopt;
    return false;
}

std::string display_name(const ProcessInfo& info) {
    std::string wine = info.wine_program();
    if (!wine.empty()) return wine.substr(0, wine.size() - 4);
    if (!info.exe_name.empty()) return info.exe_name;
    return info.comm;
}

}  // namespace gamesched::detect
