// Sharing the global game table (GS_MAX_GAMES slots, all users together) between people instead
// of first come, first served: while `owners` users hold games (the asking one included), one
// user may hold at most table / (owners + 1) slots, never more than per_owner. A share the size of
// one more user's always stays free, so a person who arrives later still gets a slot.
#pragma once

#include <algorithm>
#include <cstddef>

namespace gamesched::server {

[[nodiscard]] constexpr std::size_t game_share(std::size_t table, std::size_t per_owner, std::size_t owners) {
    return std::min(per_owner, std::max<std::size_t>(1, table / (owners + 1)));
}

}  // namespace gamesched::server
