#include "core/config/core_config.h"

#include "util/config_file.h"
#include "util/log.h"

#include <charconv>

namespace gamesched {
namespace {

constexpr std::string_view kModeKey = "mode";
constexpr std::string_view kPreemptKey = "preempt_enabled";

std::string mode_list() {
    std::string out;
    for (auto mode : {ipc::Mode::auto_, ipc::Mode::gaming, ipc::Mode::powersave, ipc::Mode::lowlatency,
                      ipc::Mode::server}) {
        if (!out.empty()) out += ", ";
        out += ipc::mode_name(mode);
    }
    return out;
}

std::optional<bool> parse_bool(std::string_view text) {
    for (std::string_view yes : {"true", "yes", "on", "1"}) {
        if (text == yes) return true;
    }
    for (std::string_view no : {"false", "no", "off", "0"}) {
        if (text == no) return false;
    }
    return std::nullopt;
}

Status apply_setting(const ConfigSetting& setting, const std::string& where, CoreConfig& config) {
    const std::string& value = setting.value;
    if (setting.key == kModeKey) {
        auto mode = ipc::mode_from_name(value);
        if (!mode)
            return Error::invalid(where + "mode '" + printable(value, 40) + "' is not one of " + mode_list());
        config.mode = mode;
        return Ok{};
    }
    if (setting.key == kPreemptKey) {
        auto enabled = parse_bool(value);
        if (!enabled) {
            return Error::invalid(where +
                                  "preempt_enabled wants true or false (or yes/no, on/off, 1/0), got '" +
                                  printable(value, 40) + "'");
        }
        config.tunables.preempt_enabled = enabled;
        return Ok{};
    }
    for (const auto& range : ipc::kTunableRanges) {
        if (range.name != setting.key) continue;
        std::uint64_t number = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        const std::string bounds = std::to_string(range.min) + " and " + std::to_string(range.max);
        if (ec != std::errc{} || end != value.data() + value.size()) {
            return Error::invalid(where + setting.key + " wants a whole number between " + bounds +
                                  ", got '" + printable(value, 40) + "'");
        }
        if (number < range.min || number > range.max) {
            return Error::invalid(where + setting.key + " = " + value +
                                  " is out of range; use a value between " + bounds);
        }
        config.tunables.*range.member = number;
        return Ok{};
    }
    return Error::invalid(where + "unknown key '" + setting.key + "'; known keys: " + known_config_keys());
}

}  // namespace

std::string known_config_keys() {
    std::string out(kModeKey);
    for (const auto& range : ipc::kTunableRanges) out += ", " + std::string(range.name);
    return out + ", " + std::string(kPreemptKey);
}

Result<CoreConfig> parse_core_config(std::string_view text, const std::string& origin) {
    auto settings = parse_config_text(text, origin);
    if (!settings) return settings.error();
    CoreConfig config;
    for (const auto& setting : *settings) {
        const std::string where = origin + ":" + std::to_string(setting.line) + ": ";
        if (auto st = apply_setting(setting, where, config); !st) return st.error();
    }
    return config;
}

Result<LoadedConfig> load_core_config(const std::string& path) {
    auto text = read_text_file(path);
    if (!text) {
        if (text.error().code == ENOENT) return LoadedConfig{{}, true};
        return text.error();
    }
    auto config = parse_core_config(*text, path);
    if (!config) return config.error();
    return LoadedConfig{*config, false};
}

std::vector<std::pair<std::string, std::string>> config_assignments(const ipc::Tunables& tunables) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& range : ipc::kTunableRanges) {
        if (const auto& value = tunables.*range.member) out.emplace_back(range.name, std::to_string(*value));
    }
    if (tunables.preempt_enabled) out.emplace_back(kPreemptKey, *tunables.preempt_enabled ? "true" : "false");
    return out;
}

std::pair<std::string, std::string> config_assignment(ipc::Mode mode) {
    return {std::string(kModeKey), std::string(ipc::mode_name(mode))};
}

}  // namespace gamesched
