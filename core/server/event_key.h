// What an epoll event in the server is about: the kind in the top byte, an id below. Ids are
// never reused, so an event for something already closed finds nothing and is ignored.
#pragma once

#include <cstdint>

namespace gamesched::server {

enum class EventKind : std::uint8_t { hints_listener = 1, control_listener, connection, lease, timer };

[[nodiscard]] constexpr std::uint64_t event_key(EventKind kind, std::uint64_t id) {
    return (static_cast<std::uint64_t>(kind) << 56) | (id & ((std::uint64_t{1} << 56) - 1));
}
[[nodiscard]] constexpr EventKind event_kind(std::uint64_t key) {
    return static_cast<EventKind>(key >> 56);
}
[[nodiscard]] constexpr std::uint64_t event_id(std::uint64_t key) {
    return key & ((std::uint64_t{1} << 56) - 1);
}

}  // namespace gamesched::server
