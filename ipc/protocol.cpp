#include "ipc/protocol.h"

#include <array>

namespace gamesched::ipc {
namespace {

using enum Direction;

// The table every check consults; the server's request table is tested against it.
constexpr std::array kTypes = {
    MessageTypeInfo{MessageType::game_started, "game_started", request, true, true},
    MessageTypeInfo{MessageType::game_exited, "game_exited", request, true, true},
    MessageTypeInfo{MessageType::focus_changed, "focus_changed", request, true, true},
    MessageTypeInfo{MessageType::register_game, "register_game", request, true, true},
    MessageTypeInfo{MessageType::unregister_game, "unregister_game", request, true, true},
    MessageTypeInfo{MessageType::renew, "renew", request, true, true},
    MessageTypeInfo{MessageType::set_tunables, "set_tunables", request, false, true},
    MessageTypeInfo{MessageType::set_mode, "set_mode", request, false, true},
    MessageTypeInfo{MessageType::get_status, "get_status", request, true, true},
    MessageTypeInfo{MessageType::subscribe, "subscribe", request, true, true},
    MessageTypeInfo{MessageType::process_event, "process_event", push, false, false},
    MessageTypeInfo{MessageType::stats_sample, "stats_sample", push, false, false},
};

}  // namespace

std::string_view channel_name(Channel channel) {
    return channel == Channel::hints ? "hints.sock" : "control.sock";
}

const MessageTypeInfo& type_info(MessageType type) {
    for (const auto& info : kTypes) {
        if (info.type == type) return info;
    }
    return kTypes.front();  // unreachable: every enumerator has a row (checked by unit test)
}

std::optional<MessageType> type_from_name(std::string_view name) {
    for (const auto& info : kTypes) {
        if (info.name == name) return info.type;
    }
    return std::nullopt;
}

std::string_view type_name(MessageType type) {
    return type_info(type).name;
}

bool request_allowed(MessageType type, Channel channel) {
    const auto& info = type_info(type);
    if (info.direction != Direction::request) return false;
    return channel == Channel::hints ? info.on_hints : info.on_control;
}

}  // namespace gamesched::ipc
