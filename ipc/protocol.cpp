#include "ipc/protocol.h"

#include "ipc/messages.h"

#include <array>
#include <cerrno>
#include <variant>

namespace gamesched::ipc {
namespace {

template <typename... M>
constexpr std::array<MessageTypeInfo, sizeof...(M)> rows_of(std::variant<M...>*) {
    return {M::info...};
}

// The table every check consults, gathered from the message structs.
constexpr auto kTypes = rows_of(static_cast<Message*>(nullptr));

constexpr bool rows_unique() {
    for (std::size_t i = 0; i < kTypes.size(); ++i) {
        for (std::size_t j = i + 1; j < kTypes.size(); ++j) {
            if (kTypes[i].type == kTypes[j].type || kTypes[i].name == kTypes[j].name) return false;
        }
        const bool push = kTypes[i].direction == Direction::push;
        if (push != (kTypes[i].access == Access::none)) return false;
        if (push != (static_cast<unsigned>(kTypes[i].type) >= 32)) return false;
    }
    return true;
}
static_assert(rows_unique(), "message numbers and names are unique; pushes are numbered from 32");

}  // namespace

std::string_view channel_name(Channel channel) {
    return channel == Channel::hints ? "hints.sock" : "control.sock";
}

std::span<const MessageTypeInfo> all_types() {
    return kTypes;
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
    switch (type_info(type).access) {
        case Access::anyone:
            return true;
        case Access::control:
        case Access::admin:
            return channel == Channel::control;
        case Access::none:
            return false;
    }
    return false;
}

namespace {

struct WireErrno {
    int code;
    std::string_view name;
};
constexpr WireErrno kWireErrnos[] = {
    {EPERM, "EPERM"},   {ESRCH, "ESRCH"},   {EINVAL, "EINVAL"}, {EAGAIN, "EAGAIN"},
    {EDQUOT, "EDQUOT"}, {ENOSPC, "ENOSPC"}, {EBUSY, "EBUSY"},   {EIO, "EIO"},
};

}  // namespace

std::optional<std::string_view> errno_wire_name(int code) {
    for (const auto& e : kWireErrnos) {
        if (e.code == code) return e.name;
    }
    return std::nullopt;
}

int errno_from_wire_name(std::string_view name) {
    for (const auto& e : kWireErrnos) {
        if (e.name == name) return e.code;
    }
    return 0;
}

std::string_view access_description(Access access) {
    switch (access) {
        case Access::anyone:
            return "hints.sock and control.sock";
        case Access::control:
            return "control.sock only (root or group gamesched)";
        case Access::admin:
            return "control.sock only, from root (or the D-Bus bridge for a polkit-authorised administrator)";
        case Access::none:
            return "sent by the core only";
    }
    return "";
}

}  // namespace gamesched::ipc
